package validate

// PhoneReference exposes phoneReference to the external tests, which
// import pkg/synth (itself an importer of validate).
var PhoneReference = phoneReference
