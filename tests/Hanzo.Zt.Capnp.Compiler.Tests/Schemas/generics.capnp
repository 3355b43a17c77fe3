@0xd1c5e5a0b7f0a002;
using Feat = import "features.capnp";
using import "features.capnp".Foo;
struct Box(T) {
  value @0 :T;
  other @1 :Int32;
  struct Inner { back @0 :Box(Text); }
}
struct Pair(A, B) { a @0 :A; b @1 :B; }
struct User {
  names @0 :Box(Text);
  pair @1 :Pair(Foo, List(Int32));
  any @2 :AnyPointer;
  cap @3 :Capability;
  s @4 :AnyStruct;
  l @5 :AnyList;
  feat @6 :Feat.Foo;
  e @7 :Feat.Foo.E = first;
}
interface Store(K) extends(Feat.J) {
  get @0 [V] (key :K) -> (value :V);
  put @1 (key :K, value :AnyPointer = null) -> ();
  nothing @2 ();
}
