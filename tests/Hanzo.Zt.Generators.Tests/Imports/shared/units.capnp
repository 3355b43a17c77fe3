@0xc1a7e2f04b9d3a61;
# Found through <CapnpImportPath Include="Imports" />: read by the generator, not generated.

const defaultScale :Float64 = 2.5;
const unitName :Text = "metre";
