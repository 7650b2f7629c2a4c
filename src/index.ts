export { GoServiceImage } from "./go-service-image";
export {
    ARG_NAMES, BaseDigests, BranchProtectionArgs, BuildSettings, BuildxArgs, BuildxOptions, DEFAULTS, FileOptions, GitHubArgs, GO_ENV_NAMES, GoEnvName, GoServiceImageArgs, NetworkMode,
    RegistryArgs, RUNTIMES, ServiceOptions, WorkflowOptions, RegistryOidc, AwsRegistryOidc, GcpRegistryOidc, AzureRegistryOidc,
} from "./args";
export { GoServiceImageError, Problem, ProblemCode } from "./errors";
export { GitHubResources } from "./github/provision";
export { ImageBuildInputs } from "./image/build-inputs";
export { imageRefFrom, ImageRef } from "./image/image-ref";
export { ContextFile, FilePlan, ImagePlan, Plan, WorkflowPlan } from "./plan";
export { prepare, Prepared, writeGenerated } from "./pipeline";
export { resolve, ResolveRequest } from "./resolve";
export { BuildxPlan } from "./plan";
export { GeneratedPreviewWorkflow, previewWorkflow } from "./preview";
export { PreviewWorkflow } from "./preview-workflow";
export { InfraLanguage, PackageManager, PreviewOidc, PulumiPreviewOidc, AwsPreviewOidc, GcpPreviewOidc, AzurePreviewOidc, PreviewWorkflowArgs, PreviewWorkflowGitHubArgs, PreviewWorkflowOptions } from "./args";
export { PreviewPlan } from "./resolve/preview";
