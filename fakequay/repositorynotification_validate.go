package fakequay

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/pystr"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// What createRepoNotification (endpoints/api/repositorynotification.py)
// checks of a new notification before it is stored: the method's own
// validation (notifications/notificationmethod.py), then the event and
// method rows (data/model/notification.py create_repo_notification),
// checked against real Quay's answers on devtable/simple.

// notificationEvents are the ExternalNotificationEvent rows initdb.py
// creates, which create_repo_notification looks the event up in.
var notificationEvents = []string{
	"repo_push", "build_queued", "build_start", "build_success", "build_cancelled", "build_failure",
	"vulnerability_found", "repo_mirror_sync_started", "repo_mirror_sync_success", "repo_mirror_sync_failed",
	"repo_image_expiry", "quota_warning", "quota_error",
}

// notificationMethods are NotificationMethod's subclasses (get_method),
// each with an ExternalNotificationMethod row.
var notificationMethods = []string{"quay_notification", "email", "webhook", "flowdock", "hipchat", "slack"}

// webhookHostnameBlacklist is notificationmethod.py's HOSTNAME_BLACKLIST
// without WEBHOOK_HOSTNAME_BLACKLIST, which fakequay has no setting for.
var webhookHostnameBlacklist = []string{"localhost", "127.0.0.1"}

// validateNotification is createRepoNotification's checks for a new
// notification of repository repo in namespace ns: an error to answer
// (request_error's ApiError for CannotValidateNotificationMethodException,
// a crash for what Quay lets escape), or nil.
func validateNotification(r store.Reader, ns, event, method string, config object) error {
	if !slices.Contains(notificationMethods, method) {
		return &crashError{reason: "InvalidNotificationMethodException: Unable to find method: " + method}
	}
	if msg, err := validateNotificationMethod(r, ns, method, config); err != nil {
		return err
	} else if msg != "" {
		return invalidRequest(msg)
	}
	if !slices.Contains(notificationEvents, event) {
		return &crashError{reason: "ExternalNotificationEventDoesNotExist: " + event}
	}
	return nil
}

// validateNotificationMethod is NotificationMethod.validate of method: the
// message of its CannotValidateNotificationMethodException, or an error
// for an exception nothing catches.
func validateNotificationMethod(r store.Reader, ns, method string, config object) (string, error) {
	get := func(key string) any { v, _ := config.get(key); return v }
	switch method {
	case "quay_notification":
		return validateQuayNotificationTarget(r, ns, get("target"))
	case "email":
		// The repository is never None here. fakequay keeps no authorized
		// e-mail addresses (RepositoryAuthorizedEmail), so every address
		// is unconfirmed.
		if !py.Truthy(get("email")) {
			return "Missing e-mail address", nil
		}
		return "The specified e-mail address is not authorized to receive notifications for this repository", nil
	case "webhook":
		return validateWebhook(get("url"), get("template"))
	case "flowdock":
		if !py.Truthy(get("flow_api_token")) {
			return "Missing Flowdock API Token", nil
		}
	case "hipchat":
		if !py.Truthy(get("notification_token")) {
			return "Missing Hipchat Room Notification Token", nil
		}
		if !py.Truthy(get("room_id")) {
			return "Missing Hipchat Room ID", nil
		}
	case "slack":
		if !py.Truthy(get("url")) {
			return "Missing Slack Callback URL", nil
		}
	}
	return "", nil
}

// validateQuayNotificationTarget is QuayNotificationMethod.find_targets as
// validate unpacks it: the org branch that refuses another namespace
// returns a pair, and an unknown kind returns None, both of which the
// three-way unpacking turns into a crash.
func validateQuayNotificationTarget(r store.Reader, ns string, target any) (string, error) {
	if !py.Truthy(target) {
		return "Missing target", nil
	}
	t, ok := asObject(target)
	if !ok {
		return "", &crashError{reason: "AttributeError: target has no attribute 'get'"}
	}
	kind, _ := t.get("kind")
	if !py.Truthy(kind) {
		return "Missing target", nil
	}
	name, hasName := t.get("name")
	switch kind {
	case "user", "org", "team":
		if !hasName {
			return "", &crashError{reason: "KeyError: 'name'"}
		}
	default:
		return "", &crashError{reason: "TypeError: cannot unpack non-iterable NoneType object"}
	}
	shown, isString := name.(string)
	if !isString {
		// A lookup by a non-string name finds nothing; Quay's message would
		// show the value's str(), which fakequay renders only for strings.
		return "", &crashError{reason: "fakequay: a non-string target name"}
	}
	switch kind {
	case "user":
		if _, ok := r.User(shown); !ok || !isASCII(shown) {
			return "Unknown user " + shown, nil
		}
	case "org":
		if _, ok := r.Organization(shown); !ok {
			return "Unknown organization " + shown, nil
		}
		if shown != ns {
			return "", &crashError{reason: "ValueError: not enough values to unpack (expected 3, got 2)"}
		}
	case "team":
		if _, _, ok := r.OrganizationTeam(ns, shown); !ok {
			return "Unknown team " + shown, nil
		}
	}
	return "", nil
}

// validateWebhook is WebhookMethod.validate: the URL's scheme and host as
// urllib's urlparse reads them, then the template's JSON. A template's
// ${...} paths are not parsed (jsonpath_rw): a known difference.
func validateWebhook(rawURL, template any) (string, error) {
	if !py.Truthy(rawURL) {
		return "Missing webhook URL", nil
	}
	u, ok := rawURL.(string)
	if !ok {
		return "", &crashError{reason: "AttributeError: urlparse of a non-string"}
	}
	scheme, host, hasHost := urlSchemeHost(u)
	if scheme != "https" && scheme != "http" {
		return "Invalid webhook URL", nil
	}
	if !hasHost {
		return "", &crashError{reason: "AttributeError: 'NoneType' object has no attribute 'lower'"}
	}
	if slices.Contains(webhookHostnameBlacklist, host) {
		return "Invalid webhook URL", nil
	}
	if !py.Truthy(template) {
		return "", nil
	}
	text, ok := template.(string)
	if !ok {
		return "", &crashError{reason: "TypeError: the JSON object must be str, bytes or bytearray"}
	}
	if _, err := py.Decode([]byte(text)); err != nil {
		var msg string
		if se, ok := err.(*py.SyntaxError); ok && se.Msg != "" {
			msg = se.Msg + pyJSONPosition(text, se.Offset)
		} else {
			return "", &crashError{reason: "json.loads: " + err.Error()}
		}
		return "Could not parse template: " + msg, nil
	}
	return "", nil
}

// pyJSONPosition is the ": line L column C (char N)" JSONDecodeError adds,
// in code points of text, for the byte offset off.
func pyJSONPosition(text string, off int) string {
	off = min(max(off, 0), len(text))
	before := text[:off]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	return ": line " + strconv.Itoa(line) + " column " + strconv.Itoa(col) + " (char " + strconv.Itoa(utf8.RuneCountInString(before)) + ")"
}

// urlSchemeHost is the scheme and hostname urllib.parse.urlparse gives url
// (Python 3.11 urlsplit): surrounding C0 controls and spaces stripped, tabs
// and newlines removed, a scheme of letters, digits, "+-." starting with a
// letter before the first ":", lowercased; the netloc after "//" up to
// "/?#"; the hostname without userinfo and port, lowercased, none when
// empty.
func urlSchemeHost(url string) (scheme, host string, ok bool) {
	url = strings.TrimFunc(url, func(r rune) bool { return r <= ' ' })
	url = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(url)
	if i := strings.IndexByte(url, ':'); i > 0 && isASCIILetter(url[0]) {
		valid := true
		for j := 0; j < i; j++ {
			c := url[j]
			if !isASCIILetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
				valid = false
				break
			}
		}
		if valid {
			scheme, url = strings.ToLower(url[:i]), url[i+1:]
		}
	}
	if !strings.HasPrefix(url, "//") {
		return scheme, "", false
	}
	netloc := url[2:]
	if i := strings.IndexAny(netloc, "/?#"); i >= 0 {
		netloc = netloc[:i]
	}
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		netloc = netloc[i+1:]
	}
	if strings.HasPrefix(netloc, "[") {
		if i := strings.IndexByte(netloc, ']'); i >= 0 {
			netloc = netloc[1:i]
		}
	} else if i := strings.IndexByte(netloc, ':'); i >= 0 {
		netloc = netloc[:i]
	}
	if netloc == "" {
		return scheme, "", false
	}
	return scheme, string(pystr.AppendLower(nil, netloc)), true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
