package runtime

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// BlockedAddressError is the error of a custom action's request to a
// loopback, private or link-local address that the workspace does not
// allow (allow_private_networks).
type BlockedAddressError struct {
	Host string     // the host the request named
	IP   netip.Addr // the address it resolved to
}

func (e *BlockedAddressError) Error() string {
	return fmt.Sprintf("%s resolves to %s, a %s address, which custom actions may not reach: list it in the workspace's allow_private_networks to allow it", e.Host, e.IP, addressKind(e.IP))
}

// sharedAddressSpace is 100.64.0.0/10 (RFC 6598, carrier-grade NAT), private
// in practice though not in netip's IsPrivate.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// blockedAddress reports whether custom actions are refused ip by default:
// loopback, private (RFC 1918, fc00::/7, 100.64.0.0/10), link-local (which
// holds cloud metadata endpoints such as 169.254.169.254), unspecified and
// multicast addresses.
func blockedAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || sharedAddressSpace.Contains(ip) ||
		(ip.Is4() && ip.As4()[0] == 0)
}

func addressKind(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsMulticast():
		return "multicast"
	}
	return "private"
}

// ParseNetworks reads a workspace's allow_private_networks: CIDR prefixes
// or single addresses.
func ParseNetworks(nets []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, n := range nets {
		p, err := netip.ParsePrefix(n)
		if err != nil {
			a, aerr := netip.ParseAddr(n)
			if aerr != nil {
				return nil, fmt.Errorf("allowPrivateNetworks: %q is not a network (a CIDR prefix or an address)", n)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// guardedTransport is the HTTPCaller's default transport: it checks every
// address it connects to, after DNS resolution and on each redirect, so
// that a name that resolves (or rebinds) to an internal address is
// refused, except in the allowed networks. It does not go through HTTP proxies, whose address would be the
// only one checked.
func guardedTransport(allowed []netip.Prefix) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	base := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		d := *base
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("unexpected address %q: %w", address, err)
			}
			ip := ap.Addr().Unmap()
			if !blockedAddress(ip) {
				return nil
			}
			for _, p := range allowed {
				if p.Contains(ip) {
					return nil
				}
			}
			return &BlockedAddressError{Host: host, IP: ip}
		}
		return d.DialContext(ctx, network, addr)
	}
	return t
}
