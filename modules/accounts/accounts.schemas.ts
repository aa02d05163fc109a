/**
 * The input fields services check again outside a route (`weft admin
 * create-user`, the scopes of a token). They are the API's own shapes and
 * live in packages/contracts with every other request and reply schema.
 */
export { Email, Password, SCOPE_PATTERN, Username } from '@weft/contracts';
