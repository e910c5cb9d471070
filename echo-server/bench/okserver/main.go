// Command okserver is the baseline of bench/load.sh: a plain net/http server
// that answers every request with "ok", with the same timeouts and header
// limit as the echo server (the defaults below are the echo server's, and
// load.sh passes the same values to both). Nothing imports it.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	readHeaderTimeout := flag.Duration("read-header-timeout", 5*time.Second, "http.Server ReadHeaderTimeout")
	readTimeout := flag.Duration("read-timeout", 15*time.Second, "http.Server ReadTimeout")
	writeTimeout := flag.Duration("write-timeout", 15*time.Second, "http.Server WriteTimeout")
	idleTimeout := flag.Duration("idle-timeout", 60*time.Second, "http.Server IdleTimeout")
	maxHeaderBytes := flag.Int("max-header-bytes", 65536, "http.Server MaxHeaderBytes")
	flag.Parse()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "listening on %s\n", ln.Addr())
	body := []byte("ok\n")
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write(body) //nolint:errcheck // a baseline; the client may go away.
		}),
		ReadHeaderTimeout: *readHeaderTimeout,
		ReadTimeout:       *readTimeout,
		WriteTimeout:      *writeTimeout,
		IdleTimeout:       *idleTimeout,
		MaxHeaderBytes:    *maxHeaderBytes,
	}
	log.Fatal(srv.Serve(ln))
}
