// Unary echo on @grpc/grpc-js: node echo_server.js [--port N]
// Binds 127.0.0.1 (port 0 = a free one) and prints "LISTENING <port>".
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const portIndex = process.argv.indexOf('--port');
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 0;

const definition = protoLoader.loadSync(path.join(__dirname, '..', 'echo.proto'), { keepCase: true });
const echoService = grpc.loadPackageDefinition(definition).partnerexchange.bench.Echo.service;

const server = new grpc.Server();
server.addService(echoService, {
  Echo: (call, callback) => callback(null, call.request),
});
server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
  if (error) {
    console.error(error.message);
    process.exit(1);
  }
  console.log(`LISTENING ${boundPort}`);
});

process.on('SIGTERM', () => server.forceShutdown());
process.on('SIGINT', () => server.forceShutdown());
