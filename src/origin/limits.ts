// Length caps for untrusted input, derived from their parts (DESIGN.md, "Origin patterns").

/** DNS: a host name is at most 253 bytes in text form (RFC 1035 §2.3.4, 255 octets on the wire). */
export const MAX_HOST_LENGTH = 253;
/** A fully qualified host may carry one trailing dot. */
export const MAX_HOST_LENGTH_WITH_DOT = MAX_HOST_LENGTH + 1;
/** DNS: a label is 1 to 63 bytes. */
export const MAX_LABEL_LENGTH = 63;
/** The longest scheme an origin can have that a browser sends: `https`. */
export const MAX_SCHEME_LENGTH = 'https'.length;
/** `:65535`. */
export const MAX_PORT_SUFFIX_LENGTH = ':65535'.length;
/** The longest serialized http(s) origin: `https` `://` host-with-dot `:65535` = 268. */
export const MAX_ORIGIN_LENGTH =
  MAX_SCHEME_LENGTH + '://'.length + MAX_HOST_LENGTH_WITH_DOT + MAX_PORT_SUFFIX_LENGTH;
