/** This library's version (package.json's): the CLI's --version, and the one the generated workflow runs. */
export const LIBRARY_VERSION: string = (require("../package.json") as { version: string }).version;
