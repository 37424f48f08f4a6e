'use strict';
/**
 * AWS Lambda entry point (function URL or API Gateway HTTP API payload 2.0, and REST API
 * payload 1.0): the same routes as the HTTP server. The version is the function's published
 * version unless APP_VERSION is set, so a canary shows which version answered.
 */
const { createState, handle } = require('./app');
const pkg = require('../package.json');

let state;

exports.handler = async (event, context) => {
  if (!state) {
    const published = context && context.functionVersion && context.functionVersion !== '$LATEST' ? `${pkg.version}+lambda.${context.functionVersion}` : pkg.version;
    state = createState({ version: process.env.APP_VERSION || published, environment: process.env.APP_ENV });
  }
  const method = (event && event.requestContext && event.requestContext.http && event.requestContext.http.method) || (event && event.httpMethod) || 'GET';
  const path = (event && (event.rawPath || event.path)) || '/';
  const out = handle(method, path, state);
  return { statusCode: out.status, headers: out.headers, body: out.body };
};
