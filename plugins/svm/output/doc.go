// Package output decodes the public output of a translated sBPF run: the magic "OSV1",
// then records (logs, return data, the exit record, the accounts), each a u32 tag and
// its payload, little-endian. docs/svm.md specifies the format.
package output
