// qs ships no types; the differential test needs only `parse` (Express 4's "extended" query parser).
declare module 'qs' {
  const qs: { parse(query: string, options?: { allowPrototypes?: boolean }): Record<string, unknown> };
  export default qs;
}
