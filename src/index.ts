export { GoServiceImage, GoServiceImageArgs, RegistryArgs } from "./go-service-image";
export { GoServiceImageError, Problem, ProblemCode } from "./errors";
export { ServiceOptions, BuildSettings, RuntimeChoice, GoEnvName, GO_ENV_NAMES } from "./options";
export { ImagePlan } from "./plan";
export { resolve } from "./resolve";
export { buildSpec, BuildSpec } from "./spec";
export { imageRefFrom } from "./image-ref";
