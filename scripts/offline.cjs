// Loaded with `node --require` into tools that phone home (electronegativity fetches translations
// and Electron's release list): every connection that is not to this computer fails at once,
// before any packet leaves, as our tests allow loopback traffic only.
const net = require("node:net");
const dns = require("node:dns");
const loopback = (host) => !host || host === "localhost" || host === "::1" || /^127\./.test(String(host));
const refuse = (host) => new Error(`network disabled for this tool (no traffic to ${host})`);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const options = typeof args[0] === "object" && args[0] !== null ? args[0] : { port: args[0], host: typeof args[1] === "string" ? args[1] : undefined };
  if (options.path || loopback(options.host)) return connect.apply(this, args);
  process.nextTick(() => this.destroy(refuse(options.host)));
  return this;
};
dns.lookup = (host, options, callback) => {
  const cb = typeof options === "function" ? options : callback;
  if (loopback(host)) return cb(null, "127.0.0.1", 4);
  process.nextTick(() => cb(Object.assign(refuse(host), { code: "ENOTFOUND" })));
};
for (const name of ["resolve", "resolve4", "resolve6", "resolveAny"]) {
  dns.Resolver.prototype[name] = function (host, ...rest) {
    const cb = rest[rest.length - 1];
    process.nextTick(() => cb(Object.assign(refuse(host), { code: "ENOTFOUND" })));
  };
  dns.promises.Resolver.prototype[name] = async (host) => {
    throw Object.assign(refuse(host), { code: "ENOTFOUND" });
  };
}
