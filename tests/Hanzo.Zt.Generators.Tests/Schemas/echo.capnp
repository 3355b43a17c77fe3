@0xe1a9c3b7d5f20441;
# A small interface exercising flattened parameters and results, tuples, capabilities and pipelining.

interface Echo {
  echo @0 (text :Text, times :UInt32) -> (text :Text);
  sum @1 (values :List(Int64)) -> (total :Int64, count :UInt32);
  counter @2 (start :Int32) -> (counter :Counter);
  reverse @3 (data :Data) -> (data :Data);
  fail @4 (message :Text) -> ();
}

interface Counter {
  next @0 () -> (value :Int32);
}

interface NamedCounter extends(Counter) {
  name @0 () -> (name :Text);
}
