package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"echo-server/internal/echo"
)

type nodl struct {
	*net.TCPConn
	fired bool
}

func (c *nodl) SetDeadline(t time.Time) error { c.SetReadDeadline(t); return c.SetWriteDeadline(t) }
func (c *nodl) SetReadDeadline(t time.Time) error {
	if t.IsZero() {
		if c.fired {
			c.fired = false
			return c.TCPConn.SetReadDeadline(t)
		}
		return nil
	}
	if !t.After(time.Now()) {
		c.fired = true
		return c.TCPConn.SetReadDeadline(t)
	}
	return nil
}
func (c *nodl) SetWriteDeadline(time.Time) error { return nil }

type lis struct{ net.Listener }

func (l lis) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &nodl{TCPConn: c.(*net.TCPConn)}, nil
}

func main() {
	timeouts := flag.Bool("timeouts", false, "")
	wrap := flag.Bool("wrap", false, "")
	h := flag.String("h", "ok", "")
	prof := flag.String("prof", "", "")
	flag.Parse()
	if *prof != "" {
		f, _ := os.Create(*prof)
		pprof.StartCPUProfile(f)
		go func() { time.Sleep(8 * time.Second); pprof.StopCPUProfile(); f.Close() }()
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	fmt.Fprintf(os.Stderr, "listening on %s\n", ln.Addr())
	if *wrap {
		ln = lis{ln}
	}
	body := []byte("ok\n")
	var handler http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	if *h == "echo" {
		handler = echo.NewHandler(1 << 20)
	}
	srv := &http.Server{Handler: handler}
	if *timeouts {
		srv.ReadHeaderTimeout = 5 * time.Second
		srv.ReadTimeout = 15 * time.Second
		srv.WriteTimeout = 15 * time.Second
		srv.IdleTimeout = 60 * time.Second
	}
	srv.Serve(ln)
}
