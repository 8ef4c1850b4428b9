package fakequay

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode"
)

// Repository mirror sources: util/security/ssrf.py
// validate_external_registry_reference, as mirror.py's
// _validate_external_reference calls it (resolve_dns=True, no
// SSRF_ALLOWED_HOSTS). fakequay resolves no names: every host name that is
// not blocked by name counts as resolving to a public address, as on a
// Quay with DNS (the realquay harness has none, and answers "Cannot resolve
// hostname" for every name; IP literals behave the same in both).

// ssrfGenericError is SSRF_GENERIC_ERROR, mirror.py's answer for any
// SSRFBlockedError.
const ssrfGenericError = "The provided registry location is not allowed"

var registryHostnameRE = lazyRegexp(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$`)

// blockedPrefixes is BLOCKED_NETWORKS with the networks Python's
// ipaddress does not call global (is_global false: is_private, the shared
// space) and the multicast and site-local ranges.
var blockedPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
		"192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
		"203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
		"::1/128", "::/128", "64:ff9b::/96", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7",
		"fe80::/10", "fec0::/10", "ff00::/8", "::ffff:0:0/96",
	} {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}()

func ipBlocked(a netip.Addr) bool {
	for _, p := range blockedPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// pyIsSpace is Python's str.isspace for one character: Unicode white space
// and the separators \x1c-\x1f.
func pyIsSpace(r rune) bool { return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f }

// validateExternalReference returns the InvalidRequest detail Quay answers
// for reference, or "" when Quay accepts it.
func validateExternalReference(reference string) string {
	if strings.TrimFunc(reference, pyIsSpace) == "" {
		return "External registry reference is required"
	}
	if strings.IndexFunc(reference, pyIsSpace) >= 0 {
		return "External registry reference must not include whitespace"
	}
	if strings.Contains(reference, "://") {
		return "External registry reference must not include a URL scheme"
	}
	if strings.ContainsAny(reference, "?#\\%") {
		return "External registry reference contains an invalid character"
	}
	registry, path, ok := strings.Cut(reference, "/")
	if !ok || registry == "" || path == "" {
		return "External registry reference must include a repository path"
	}
	const badAuthority = "External registry reference contains an invalid registry authority"
	const badPort = "External registry reference contains an invalid registry port"
	if strings.HasPrefix(registry, "[") {
		end := strings.IndexByte(registry, ']')
		if end < 0 {
			return badAuthority
		}
		suffix := registry[end+1:]
		if suffix != "" && !strings.HasPrefix(suffix, ":") {
			return badAuthority
		}
		if suffix == ":" {
			return badPort
		}
	} else {
		if strings.Count(registry, ":") > 1 {
			return badAuthority
		}
		if strings.HasSuffix(registry, ":") {
			return badPort
		}
	}
	host, port, userinfo, ok := splitAuthority(registry)
	if !ok {
		return badAuthority
	}
	const badHost = "External registry reference must include a valid registry hostname"
	if userinfo || host == "" {
		return badHost
	}
	if port == 0 {
		return badPort
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		if strings.HasSuffix(host, ".") || len(host) > 253 || !registryHostnameRE().MatchString(host) {
			return badHost
		}
		// validate_external_registry_url with resolve_dns=True: a blocked
		// name resolves, but to nothing the allowlist admits.
		if host == "localhost" || strings.HasSuffix(host, ".internal") || strings.HasSuffix(host, ".local") ||
			blockedHostnames[host] {
			return ssrfGenericError
		}
		return ""
	}
	if ipBlocked(addr) {
		return ssrfGenericError
	}
	return ""
}

var blockedHostnames = map[string]bool{
	"localhost": true, "metadata.google.internal": true, "metadata.azure.internal": true, "metadata": true,
	"kubernetes.default.svc": true, "kubernetes.default.svc.cluster.local": true, "kubernetes.default": true,
	"kubernetes": true,
}

// splitAuthority is urlparse("https://" + registry)'s hostname (lower
// case), port (-1: none) and whether it has user info; ok is false where
// urlparse or its port property raises ValueError.
func splitAuthority(registry string) (host string, port int, userinfo, ok bool) {
	hostinfo := registry
	if at := strings.LastIndexByte(registry, '@'); at >= 0 {
		user, password, _ := strings.Cut(registry[:at], ":")
		userinfo = user != "" || password != ""
		hostinfo = registry[at+1:]
	}
	if strings.Contains(registry, "[") != strings.Contains(registry, "]") {
		return "", 0, false, false // urlsplit: Invalid IPv6 URL
	}
	var portText string
	if _, bracketed, found := strings.Cut(hostinfo, "["); found {
		var rest string
		host, rest, _ = strings.Cut(bracketed, "]")
		_, portText, _ = strings.Cut(rest, ":")
		if a, err := netip.ParseAddr(host); err != nil || !a.Is6() {
			return "", 0, false, false // _check_bracketed_host
		}
	} else {
		host, portText, _ = strings.Cut(hostinfo, ":")
	}
	host = strings.ToLower(host)
	port = -1
	if portText != "" {
		for _, r := range portText {
			if r < '0' || r > '9' {
				return "", 0, false, false
			}
		}
		n, err := strconv.Atoi(portText)
		if err != nil || n > 65535 {
			return "", 0, false, false
		}
		port = n
	}
	return host, port, userinfo, true
}
