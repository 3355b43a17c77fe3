@0xe1a2f7c1b3e94a03;
# Generic structs bound to text, structs and lists, for conversions through brands.
struct Box(T) {
  value @0 :T;
  label @1 :Text;
}
struct Pair(A, B) {
  first @0 :A;
  second @1 :B;
  inner @2 :Box(B);
}
struct Item { n @0 :UInt32; }
struct Holder {
  texts @0 :Box(Text);
  items @1 :Box(Item);
  pair @2 :Pair(Text, Item);
  any @3 :AnyPointer;
  list @4 :Box(List(Item));
}
