import { Document, isMap, isPair, isScalar, visit } from "yaml";
import { MARKER } from "../marker";
import { Workflow } from "./model";
import { ACTION_PINS, ActionName } from "./pins";

/** Why a job holds a permission: written beside each, so a reviewer need not guess. */
const PERMISSION_REASONS: Readonly<Record<string, string>> = {
    "contents: read": "check out the repository",
    "packages: write": "push the image to ghcr.io with GITHUB_TOKEN",
    "id-token: write": "an OIDC token: keyless signing (cosign) or the cloud registry's login",
    "actions: read": "read this repository's workflow runs",
    "attestations: write": "record the image's build provenance",
    "security-events: write": "upload the govulncheck report to code scanning",
    "pull-requests: write": "post the preview as a pull request comment",
};

/**
 * A generated YAML file: the marker line first, keys in the value's order, no line folding, and
 * never an anchor or alias for a value used twice (Dependabot refuses a file with one: "YAML
 * aliases are not supported"; GitHub's workflow parser takes them, other readers may not).
 */
export function generatedYaml(value: unknown, decorate: (doc: Document) => void = () => undefined): string {
    const doc = new Document(value, { aliasDuplicateObjects: false });
    doc.commentBefore = ` ${MARKER}`;
    decorate(doc);
    return doc.toString({ lineWidth: 0 });
}

/**
 * Renders the workflow: a generated YAML file with each pinned `uses:` followed by its release tag
 * as a comment and each permission by why the job holds it.
 */
export function renderWorkflow(workflow: Workflow): string {
    return generatedYaml(workflow, decorateWorkflow);
}

function decorateWorkflow(doc: Document): void {
    visit(doc, {
        Scalar(key, scalar) {
            // YAML 1.1 readers take on/off/yes/no as booleans: such string values are quoted (keys such as `on` are GitHub's own).
            if (key !== "key" && typeof scalar.value === "string" && /^(on|off|yes|no|y|n|true|false|null|~)$/i.test(scalar.value)) scalar.type = "QUOTE_DOUBLE";
        },
        Pair(_, pair) {
            if (isScalar(pair.key) && pair.key.value === "uses" && isScalar(pair.value)) {
                const action = String(pair.value.value).split("@")[0] as ActionName;
                pair.value.comment = ` ${ACTION_PINS[action].tag}`;
            }
            if (!isScalar(pair.key) || pair.key.value !== "permissions" || !isMap(pair.value)) return;
            for (const item of pair.value.items) {
                if (isPair(item) && isScalar(item.key) && isScalar(item.value)) item.value.comment = ` ${PERMISSION_REASONS[`${item.key.value}: ${item.value.value}`] ?? "needed by this job"}`;
            }
        },
        Map(_, map) {
            // `workflow_dispatch: {}` reads better as an empty flow map.
            if (isMap(map) && map.items.length === 0) map.flow = true;
        },
    });
}
