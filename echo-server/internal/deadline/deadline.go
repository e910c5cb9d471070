// Package deadline makes connection deadlines cheap to set.
//
// net/http sets four or five read and write deadlines per request when its
// timeouts are configured, and each one re-arms a runtime timer: on a busy
// server that costs several percent of CPU. A Listener from this package
// hands out TCP connections whose deadlines are only recorded when set; one
// goroutine per listener checks them at a fixed tick and, when one has
// passed, moves the connection's real deadline into the past, which makes
// pending and later reads (or writes) fail with os.ErrDeadlineExceeded,
// exactly as an expired deadline does. A deadline therefore fires up to one
// tick late. Deadlines before the last tick, such as the one net/http sets to
// interrupt a read at once, take effect immediately. Setting a deadline reads
// no clock, which is worth it too: time.Now costs about 50ns on a virtual
// machine, and net/http already reads it several times per request.
package deadline

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Listener wraps a TCP listener; see the package documentation.
type Listener struct {
	net.Listener
	tick time.Duration
	now  atomic.Pointer[time.Time] // the last tick

	mu     sync.Mutex
	conns  map[*Conn]struct{}
	reaper bool // the checking goroutine is running
}

// NewListener returns a Listener over ln whose connections' deadlines are
// checked every tick.
func NewListener(ln net.Listener, tick time.Duration) *Listener {
	l := &Listener{Listener: ln, tick: tick, conns: make(map[*Conn]struct{})}
	now := time.Now()
	l.now.Store(&now)
	return l
}

// Accept waits for the next connection. TCP connections come back as *Conn;
// others are returned unchanged.
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tcp, ok := c.(*net.TCPConn)
	if !ok {
		return c, nil
	}
	conn := &Conn{TCPConn: tcp, l: l}
	l.mu.Lock()
	l.conns[conn] = struct{}{}
	if !l.reaper {
		l.reaper = true
		now := time.Now()
		l.now.Store(&now)
		go l.check()
	}
	l.mu.Unlock()
	return conn, nil
}

// check enforces the deadlines every tick while connections are open, so
// also after the listener is closed, during a graceful shutdown.
func (l *Listener) check() {
	ticker := time.NewTicker(l.tick)
	defer ticker.Stop()
	for now := range ticker.C {
		l.now.Store(&now)
		l.mu.Lock()
		for c := range l.conns {
			c.expire(now)
		}
		done := len(l.conns) == 0
		if done {
			// Restarted by the next Accept, if any.
			l.reaper = false
		}
		l.mu.Unlock()
		if done {
			return
		}
	}
}

func (l *Listener) remove(c *Conn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
}

// Conn is a TCP connection whose deadlines are enforced by its Listener.
type Conn struct {
	*net.TCPConn
	l *Listener

	mu    sync.Mutex
	read  state
	write state
}

// state is one direction's deadline.
type state struct {
	at    time.Time // zero: none
	fired bool      // the connection's real deadline is in the past
}

// aLongTimeAgo is the real deadline of an expired direction.
var aLongTimeAgo = time.Unix(1, 0)

// SetDeadline sets the read and write deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// SetReadDeadline sets the read deadline. A zero t means none.
func (c *Conn) SetReadDeadline(t time.Time) error {
	return c.set(&c.read, t, c.TCPConn.SetReadDeadline)
}

// SetWriteDeadline sets the write deadline. A zero t means none.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	return c.set(&c.write, t, c.TCPConn.SetWriteDeadline)
}

func (c *Conn) set(s *state, t time.Time, real func(time.Time) error) error {
	past := !t.IsZero() && !t.After(*c.l.now.Load())
	var err error
	c.mu.Lock()
	switch {
	case past:
		s.at, s.fired = time.Time{}, true
		err = real(t)
	case s.fired:
		s.at, s.fired = t, false
		err = real(time.Time{})
	default:
		s.at = t
	}
	c.mu.Unlock()
	return err
}

// expire fires the deadlines that have passed at now.
func (c *Conn) expire(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.read.at.IsZero() && !c.read.at.After(now) {
		c.read.at, c.read.fired = time.Time{}, true
		c.TCPConn.SetReadDeadline(aLongTimeAgo) //nolint:errcheck // fails only on a closed connection.
	}
	if !c.write.at.IsZero() && !c.write.at.After(now) {
		c.write.at, c.write.fired = time.Time{}, true
		c.TCPConn.SetWriteDeadline(aLongTimeAgo) //nolint:errcheck // fails only on a closed connection.
	}
}

// Close closes the connection.
func (c *Conn) Close() error {
	c.l.remove(c)
	return c.TCPConn.Close()
}
