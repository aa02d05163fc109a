/** The release version, shown by `weft --version` and in the OpenAPI document. */
export const VERSION = '0.1.0';
