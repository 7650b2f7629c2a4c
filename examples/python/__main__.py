"""GoServiceImage from Python: builds examples/hello-service and exports its digest reference."""
import os

import pulumi
import pulumi_go_service_image as gsi

config = pulumi.Config()
repository = config.get("repository") or "localhost:5000/hello-service"
username = config.get("registryUsername")
password = config.get_secret("registryPassword")

hello = gsi.GoServiceImage(
    "hello",
    # An absolute path reads the same wherever the program runs; relative paths are the project's.
    context=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hello-service"),
    repository=repository,
    registry={"username": username, "password": password} if username and password else None,
    network=config.get("network"),
    port=8080,
    buildx={"platforms": ["linux/amd64", "linux/arm64"]},
)

pulumi.export("imageRef", hello.image_ref)
pulumi.export("platforms", hello.platforms)
pulumi.export("tag", hello.tag)
