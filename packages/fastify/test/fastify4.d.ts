// The `fastify4` dev dependency is `npm:fastify@^4`; tests type it with the installed fastify types.
declare module 'fastify4' {
  import fastify from 'fastify';
  export default fastify;
}
