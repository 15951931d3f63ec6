// atob and btoa (https://html.spec.whatwg.org/multipage/webappapis.html#atob), with the
// forgiving-base64 decode of Infra; the work is in EncodingOps.
const { DOMException, webidl } = internals;
const ops = binding.encoding;

function btoa(data) {
  const prefix = "Failed to execute 'btoa'";
  webidl.requiredArguments(arguments.length, 1, prefix);
  data = webidl.converters.DOMString(data, prefix, "Argument 1");
  const result = ops.btoa(data);
  if (result === null) {
    throw new DOMException(`${prefix}: The string to be encoded contains characters outside of the Latin1 range.`,
      "InvalidCharacterError");
  }
  return result;
}

function atob(data) {
  const prefix = "Failed to execute 'atob'";
  webidl.requiredArguments(arguments.length, 1, prefix);
  data = webidl.converters.DOMString(data, prefix, "Argument 1");
  const result = ops.atob(data);
  if (result === null) {
    throw new DOMException(`${prefix}: The string to be decoded is not correctly encoded.`, "InvalidCharacterError");
  }
  return result;
}

internals.base64 = { atob, btoa };
internals.globalFunctions = { ...internals.globalFunctions, atob, btoa };
