@0xc1a7e2f04b9d3a62;
# Imports from an MSBuild import path, as capnp compile -I Imports would find it.

using Units = import "/shared/units.capnp";

const scale :Float64 = Units.defaultScale;
const unit :Text = Units.unitName;

struct Measure {
  value @0 :Float64 = Units.defaultScale;
}
