import { Document, isMap, isPair, isScalar, visit } from "yaml";
import { MARKER } from "../marker";
import { Workflow } from "./model";
import { ACTION_PINS, ActionName } from "./pins";

/** Why a job holds a permission: written beside each, so a reviewer need not guess. */
const PERMISSION_REASONS: Readonly<Record<string, string>> = {
    "contents: read": "check out the repository",
    "packages: write": "push the image to ghcr.io with GITHUB_TOKEN",
    "id-token: write": "sign the pushed digest keyless (cosign)",
    "security-events: write": "upload the govulncheck report to code scanning",
    "pull-requests: write": "post the preview as a pull request comment",
};

/**
 * Renders the workflow with the `yaml` library: keys in the model's order, no line folding, each
 * pinned `uses:` followed by its release tag as a comment, the marker line first.
 */
export function renderWorkflow(workflow: Workflow): string {
    const doc = new Document(workflow, { aliasDuplicateObjects: false });
    doc.commentBefore = ` ${MARKER}`;
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
    return doc.toString({ lineWidth: 0 });
}
