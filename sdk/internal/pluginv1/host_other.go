//go:build !unix

package pluginv1

// watchHost does nothing where parent processes cannot be watched this way;
// the host kills its plugins when it can.
func watchHost() {}
