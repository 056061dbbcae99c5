// Command garbage, for host/plugin's tests only, has a plugin's name but
// prints a greeting where go-plugin expects its handshake line. The host
// must say it is not a plugin.
package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println("Hello! I am not a plugin, whatever my name says.")
	time.Sleep(time.Minute) // the host kills it
}
