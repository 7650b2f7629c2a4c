// A Pulumi program that builds examples/hello-service with GoServiceImage and pushes it.
// In your own program, import from the package instead:
//   import { GoServiceImage } from "pulumi-go-service-image";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { GoServiceImage } from "../../src";

const config = new pulumi.Config();
// Defaults push to a registry on this machine: `docker run -p 5000:5000 registry:2` or any other.
const repository = config.get("repository") ?? "localhost:5000/hello-service";
const username = config.get("registryUsername");
const password = config.getSecret("registryPassword");

// The GitHub part is off unless configured: `pulumi config set githubRepository <repo>` (and the
// github provider's owner and token, e.g. GITHUB_OWNER and GITHUB_TOKEN with the workflow scope).
const githubRepository = config.get("githubRepository");

const hello = new GoServiceImage("hello-service", {
    context: path.join(__dirname, "..", "hello-service"),
    repository,
    registry: username && password ? { username, password } : undefined,
    // Engines without a default bridge network (dockerd --bridge=none) need "host".
    network: (config.get("network") as "host" | "none" | "default" | undefined) ?? undefined,
    platform: config.get("platform"),
    // `pulumi config set buildx true`: @pulumi/docker-build (BuildKit through buildx) instead of @pulumi/docker.
    buildx: config.getBoolean("buildx") ? {} : undefined,
    // `pulumi config set buildOnPreview true`: a preview builds too, so it fails when the build would.
    buildOnPreview: config.getBoolean("buildOnPreview"),
    sourceUrl: config.get("sourceUrl"),
    github: githubRepository
        ? { repository: githubRepository, serviceDir: config.get("githubServiceDir") ?? "examples/hello-service" }
        : undefined,
});

/** Deploy this: it changes exactly when the image does. */
export const imageRef = hello.imageRef;
export const imageName = hello.imageName;
export const version = hello.version;
export const platform = hello.platform;
// Only what has a value: an undefined stack output makes Pulumi warn on every run.
export const statusChecks = hello.statusChecks;
