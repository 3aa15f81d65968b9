/**
 * JSON-RPC 2.0 over HTTP POST: {@link pulsar.http.rpc.JsonRpc} is a handler that dispatches calls
 * to methods grouped in namespaces. See {@code docs/json-rpc.md}.
 */
package pulsar.http.rpc;
