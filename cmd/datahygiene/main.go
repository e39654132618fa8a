// Command datahygiene audits folders for customer data kept unencrypted,
// unprotected or past its retention period.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
