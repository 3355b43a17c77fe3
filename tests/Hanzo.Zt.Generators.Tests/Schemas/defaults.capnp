@0xc1a7e2f04b9d3a63;
# Struct and list defaults and constants, checked against the reference tools.

struct Spot {
  x @0 :Int32;
  y @1 :Int32 = 7;
}

enum Tone {
  low @0;
  high @1;
}

struct Detail {
  label @0 :Text;
  point @1 :Spot;
  choice :union {
    a @2 :Int32;
    b @3 :Text;
  }
  tags @4 :List(Text);
  extra :group {
    level @5 :UInt8 = 3;
  }
}

struct Defaults {
  origin @0 :Spot = (x = 3, y = 4);
  path @1 :List(Spot) = [(x = 1), (x = 2, y = 9)];
  numbers @2 :List(Int32) = [5, -6, 7];
  words @3 :List(Text) = ["a", "bc"];
  flags @4 :List(Bool) = [true, false, true];
  tones @5 :List(Tone) = [high, low];
  nested @6 :List(List(Int16)) = [[1, 2], [], [3]];
  inner @7 :Detail = (label = "in", point = (x = 10), choice = (b = "bee"), tags = ["t"], extra = (level = 9));
  plain @8 :Spot;
  floats @9 :List(Float64) = [1.5, -0.25];

  const limit :Spot = (x = 1, y = 2);
}

const origin :Spot = (x = 100, y = -1);
const primes :List(UInt32) = [2, 3, 5, 7];
const names :List(Text) = ["one", "two"];
const shapes :List(Detail) = [(label = "s1"), (label = "s2", choice = (a = 5))];
