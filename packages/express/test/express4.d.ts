// The `express4` dev dependency is `npm:express@^4`; its API is typed by @types/express.
declare module 'express4' {
  import express from 'express';
  export default express;
}
