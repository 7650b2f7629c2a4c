import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A Go module written to a fresh temporary directory: file path → content. */
export function tempModule(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-mod-"));
    for (const [rel, content] of Object.entries(files)) {
        const file = path.join(dir, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
    }
    return dir;
}

export const MAIN_GO = "package main\n\nfunc main() {}\n";

/** A minimal module with a main package at the root and no dependencies. */
export function simpleModule(extra: Record<string, string> = {}): string {
    return tempModule({ "go.mod": "module example.com/simple\n\ngo 1.22\n", "main.go": MAIN_GO, ...extra });
}

/** A module with dependencies (go.sum) and its main package under cmd/api. */
export function depsModule(extra: Record<string, string> = {}): string {
    return tempModule({
        "go.mod": "module example.com/deps\n\ngo 1.23.4\n\nrequire golang.org/x/text v0.14.0\n",
        "go.sum": "golang.org/x/text v0.14.0 h1:placeholder=\n",
        "cmd/api/main.go": MAIN_GO,
        "internal/lib/lib.go": "package lib\n",
        ...extra,
    });
}

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const HELLO = path.join(REPO_ROOT, "examples", "hello-service");

export { copyModule } from "../../bench/docker";
