@0x8f3b0b05690c6b68;
# Capabilities inside parameters and results (a nested struct, a list, a group), next to structs without any:
# calls hand the cap table only to the readers and builders of structs that may hold capabilities.

interface Adder {
  add @0 (a :Int32, b :Int32) -> (sum :Int32);
}

struct Step {
  x @0 :Int32;
  y @1 :Int32;
}

# Refers to itself, holds no capability.
struct Chain {
  value @0 :Int32;
  next @1 :Chain;
  steps @2 :List(Step);
  union {
    none @3 :Void;
    label @4 :Text;
  }
}

struct Carrier {
  adder @0 :Adder;
}

struct Nested {
  name @0 :Text;
  carrier @1 :Carrier;
}

struct Team {
  members @0 :List(Adder);
}

struct Grouped {
  slot :group {
    adder @0 :Adder;
  }
}

interface Flow {
  sumChain @0 (chain :Chain) -> (total :Int32);
  # Adds the values of the chain and the coordinates of its points: parameters without capabilities.

  addVia @1 (nested :Nested, a :Int32, b :Int32) -> (sum :Int32);
  # Calls the adder held in nested.carrier.

  addAll @2 (team :Team, a :Int32, b :Int32) -> (sums :List(Int32));
  # Calls every adder of the list, in order.

  hold @3 (adder :Adder, name :Text) -> (nested :Nested);
  # Returns the adder inside a nested struct of the results.

  gather @4 (count :UInt32) -> (team :Team);
  # Returns a list of count adders; the i-th adds i.

  grouped @5 (grouped :Grouped, a :Int32, b :Int32) -> (sum :Int32);
  # Calls the adder held in a group.
}

# One method per shape of generated dispatch: flat results, no results, results the implementation builds.
interface Work {
  twice @0 (value :Int32) -> (value :Int32);
  record @1 (value :Int32) -> ();
  range @2 (count :Int32) -> (values :List(Int32));
}
