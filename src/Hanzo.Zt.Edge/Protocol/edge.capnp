@0xb0fb77aa30e63237;
# The fabric's edge protocol: what an SDK and an edge router say to each other over their mutual-TLS link.
# Each frame is a 4-byte big-endian length followed by one Frame message (standard Cap'n Proto framing).
# Circuits are multiplexed on one link; each has its own credit window, so one slow circuit never stalls
# the others. Ids of circuits the SDK opens (dials) have the top bit clear; ids the router opens (connects
# to a host) have it set.

struct Frame {
  kind @0 :Kind;
  circuit @1 :UInt32;
  # The circuit (or, for bind and unbind, the request) the frame belongs to.
  sequence @2 :UInt64;
  # Data: the position of the payload's first byte in the circuit's stream. Direct usage: bytes received from
  # the dialer on a direct path so far.
  value @3 :UInt64;
  # Credit: bytes granted. Bind: terminator cost. Ping/pong: nonce. Fault: a ZtErrorCode.
  # Usage: calls served on the circuit so far. Direct usage: bytes sent to the dialer on a direct path so far.
  token @4 :Text;
  # Bind and dial: the controller-signed session token. Connect: the service id.
  payload @5 :Data;
  # Data: the bytes. Close and fault: the reason, UTF-8.
  peer @6 :Text;
  # Connect: the dialing identity's id. Hello: the sender's software version.

  enum Kind {
    hello @0;    # first frame each way
    bind @1;     # host → router: terminate the service of `token` here
    bound @2;    # router → host: the bind is live
    unbind @3;   # host → router: stop terminating
    dial @4;     # dialer → router: open `circuit` to the service of `token`
    dialed @5;   # router → dialer (and host → router): the circuit is spliced
    connect @6;  # router → host: a dialer wants `circuit`
    data @7;     # bytes on a circuit
    close @8;    # the sender will send no more on the circuit; `payload` says why
    credit @9;   # the sender can take `value` more bytes on the circuit
    ping @10;
    pong @11;
    fault @12;   # a bind, dial or connect failed: `value` is the error code, `payload` the reason
    usage @13;   # host → router: the host has served `value` calls on `circuit` so far (a running total); the
                 # router bills them to the dialer's session and never relays the frame
    directUsage @14; # host → router: the bytes the circuit's two ends exchanged on a direct path, which the
                 # router never sees (running totals: `sequence` from the dialer, `value` to the dialer); billed
                 # like relayed bytes, never relayed
  }
}
