/**
 * JSON-RPC 2.0 over HTTP POST: {@link pulsar.http.rpc.JsonRpc} is a handler that dispatches calls
 * to {@link pulsar.http.rpc.RpcMethod}s grouped in namespaces; a method reads its
 * {@link pulsar.http.rpc.RpcParams} and answers a value, a stage of one, or an
 * {@link pulsar.http.rpc.RpcException}. See {@code docs/json-rpc.md}.
 */
package pulsar.http.rpc;
