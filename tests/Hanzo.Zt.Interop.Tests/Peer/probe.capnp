@0xac656e8bc887a103;
# A test interface for interop between ZAP and the reference C++ RPC: exceptions of every type, a call that
# never returns, a peer that dies mid-call, and capabilities passed in both directions.

using Calc = import "/calculator.capnp";

interface Probe {
  fail @0 (type :UInt16, reason :Text) -> ();
  # Raises an exception of the given Exception.Type (failed, overloaded, disconnected, unimplemented).

  hang @1 () -> ();
  # Never returns; the caller sees the connection end.

  crash @2 () -> ();
  # The serving process exits at once, in the middle of the call.

  calculator @3 () -> (calculator :Calc.Calculator);
  # A Calculator, to call through a pipelined promise.

  echoCapability @4 (value :Calc.Calculator.Value) -> (value :Calc.Calculator.Value);
  # Returns the caller's own capability back to it.

  readBack @5 (value :Calc.Calculator.Value) -> (read :Float64);
  # Calls read() on a capability the caller hosts and returns what it said.
}
