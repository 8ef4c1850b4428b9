package fakequay

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Users: reference §2.1–§2.3 and §3 (getInstallUser, changeInstallUser,
// sendInstallUserRecoveryEmail, takeOwnership).

const helpLimit = "Limit to the number of results to return per page. Max 100."

func userRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/superuser/users/", ops: map[string]*operation{
			http.MethodGet: {nickname: "listAllUsers", freshLogin: true, paged: true, query: []queryParam{
				{name: "next_page", kind: paramString, help: "The page token for the next page"},
				{name: "limit", kind: paramInt, help: helpLimit},
				{name: "disabled", kind: paramTruthyBool, help: "If false, only enabled users will be returned.", def: true},
			}, handle: (*Server).listAllUsers},
			http.MethodPost: {nickname: "createInstallUser", freshLogin: true, schema: schemaCreateInstallUser,
				handle: (*Server).createInstallUser},
		}},
		{pattern: "/api/v1/superuser/users/{username}", ops: map[string]*operation{
			http.MethodGet:    {nickname: "getInstallUser", freshLogin: true, handle: (*Server).getInstallUser},
			http.MethodPut:    {nickname: "changeInstallUser", freshLogin: true, schema: schemaUpdateUser, handle: (*Server).changeInstallUser},
			http.MethodDelete: {nickname: "deleteInstallUser", freshLogin: true, handle: (*Server).deleteInstallUser},
		}},
		{pattern: "/api/v1/superuser/takeownership/{namespace}", ops: map[string]*operation{
			http.MethodPost: {nickname: "takeOwnership", freshLogin: true, handle: (*Server).takeOwnership},
		}},
		{pattern: "/api/v1/superusers/users/{username}/sendrecovery", when: func(c *Config) bool { return c.FeatureMailing }, ops: map[string]*operation{
			http.MethodPost: {nickname: "sendInstallUserRecoveryEmail", freshLogin: true, handle: (*Server).sendRecoveryEmail},
		}},
	}
}

// listAllUsers: §2.1. The permission check comes before the limit check.
func (s *Server) listAllUsers(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	filter := store.UsersNotDeleted
	if !c.boolQuery("disabled") {
		filter = store.UsersEnabled
	}
	page, next, err := c.idPage(func(from int64, fn func(*store.Namespace) bool) {
		c.read.Users(filter, from, fn)
	})
	if err != nil {
		return err
	}
	defer page.release()
	c.restful(http.StatusOK, &userPageView{views: s.newPageViews(c.read), rows: page.rows, next: next})
	return nil
}

// createInstallUser: §2.2. Answers 200 (not 201) with a generated password.
func (s *Server) createInstallUser(c *call) error {
	if s.cfg.AuthenticationType != "Database" {
		return invalidRequest("Cannot create a user in a non-database auth system")
	}
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	body, ok := asObject(c.body)
	if !ok {
		// The schema has no "type": a JSON array or string passes it and
		// then crashes Quay's handler with a TypeError.
		return &crashError{reason: "TypeError: request body is not an object"}
	}
	username, _ := body.str("username")
	var email *string
	if e, ok := body.str("email"); ok {
		email = &e
	}
	password := s.rand.chars(32, upperDigits)
	in := store.NewUser{
		Username:     username,
		Email:        email,
		RequireEmail: s.cfg.FeatureMailing,
		Time:         c.now,
		Password:     newPassword(password),
		Audit: c.action("user_create", username,
			meta().set("email", email).set("username", username).set("superuser", c.who.user.Name)),
	}
	if !s.cfg.FeatureMailing && (email == nil || *email == "") {
		// Quay stores `email or uuid4()`; the answer and the log still show
		// what was sent.
		in.PlaceholderEmail = s.rand.uuid()
	}
	if s.cfg.FeatureMailing {
		in.ConfirmationCode = s.rand.chars(32, alphanumeric)
	}
	if _, err := s.store.CreateUser(in); err != nil {
		return err
	}
	c.restful(http.StatusOK, createdUserView{
		Username:          username,
		Email:             email,
		Password:          password,
		EncryptedPassword: s.encryptUserPassword(password),
	})
	return nil
}

// getInstallUser: §3. Organizations and unknown names are 404.
func (s *Server) getInstallUser(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	u, ok := c.read.User(c.param("username"))
	if !ok {
		return errNotFound
	}
	v := s.userView(c.read, u)
	c.restful(http.StatusOK, &v) // a pointer: py then uses the view's own encoder
	return nil
}

// changeInstallUser: §3. The answer is the user as it was *before* the
// update, with the new e-mail and the encrypted password patched in.
func (s *Server) changeInstallUser(c *call) error {
	u, err := s.nonSuperuserTarget(c, "Cannot update a superuser")
	if err != nil {
		return err
	}
	name := u.Name
	body, _ := asObject(c.body)
	var upd store.UserUpdate
	caller := c.who.user.Name
	if pw, ok := body.str("password"); ok {
		if s.cfg.AuthenticationType != "Database" {
			return invalidRequest("Cannot change password in non-database auth")
		}
		upd.Password = &pw
		upd.PasswordSalt = newPassword(pw).Salt
		upd.NewSessionID = newSessionID()
		upd.PasswordLog = c.action("user_change_password", name,
			meta().set("username", name).set("superuser", caller))
	}
	if email, ok := body.str("email"); ok {
		if s.cfg.AuthenticationType != "Database" && s.cfg.AuthenticationType != "AppToken" {
			return invalidRequest("Cannot change e-mail in non-database auth")
		}
		upd.Email = &email
		upd.EmailLog = func(old string) store.Action {
			return c.action("user_change_email", name,
				meta().set("old_email", old).set("email", email).set("superuser", caller))
		}
	}
	if enabled, ok := body.boolean("enabled"); ok {
		kind := "user_disable"
		if enabled {
			kind = "user_enable"
		}
		upd.Enabled = &enabled
		upd.EnabledLog = c.action(kind, name, meta().set("username", name).set("superuser", caller))
	}
	// "superuser" rewrites SUPER_USERS in Quay's config file, which takes
	// effect only after a restart; a running fakequay never restarts.
	before, err := s.store.UpdateUser(name, upd)
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	v := s.userView(c.read, before)
	if upd.Password != nil {
		v.EncryptedPassword = s.encryptUserPassword(*upd.Password)
	}
	if upd.Email != nil {
		v.Email = *upd.Email
	}
	c.restful(http.StatusOK, &v)
	return nil
}

// deleteInstallUser: §2.3. 204 with an empty body.
func (s *Server) deleteInstallUser(c *call) error {
	u, err := s.nonSuperuserTarget(c, "Cannot delete a superuser")
	if err != nil {
		return err
	}
	name := u.Name
	audit := c.action("user_delete", name, meta().set("username", name))
	err = s.store.DeleteUser(name, audit, s.tombstone())
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// sendRecoveryEmail: §3 sendInstallUserRecoveryEmail.
func (s *Server) sendRecoveryEmail(c *call) error {
	if s.cfg.AuthenticationType != "Database" {
		return invalidRequest("Cannot send a recovery e-mail for non-database auth")
	}
	u, err := s.nonSuperuserTarget(c, "Cannot send a recovery email for a superuser")
	if err != nil {
		return err
	}
	if err := s.store.SendMail(store.Mail{Kind: "recovery", To: u.Email, Username: u.Name,
		Code: s.rand.chars(32, alphanumeric), Time: c.now}); err != nil {
		return err
	}
	c.restful(http.StatusOK, emailView{Email: u.Email})
	return nil
}

// takeOwnership: §3. The superuser check on the target comes first, even
// for a name that does not exist.
func (s *Server) takeOwnership(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	name := c.param("namespace")
	if s.isSuperuserName(name) {
		return invalidRequest("Cannot take ownership of a superuser")
	}
	caller := c.who.user
	_, err := s.store.TakeOwnership(name, caller.ID, func(o store.Ownership) store.Action {
		return c.action("take_ownership", caller.Name, meta().
			set("entity_id", o.EntityID).set("namespace", name).set("was_user", o.WasUser).set("superuser", caller.Name))
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.jsonify(http.StatusOK, namespaceView{Namespace: name})
	return nil
}

// nonSuperuserTarget is how the handlers that change one user begin, in
// Quay's order: the caller must be a superuser, the {username} must be a
// user (404 otherwise), and not one in SUPER_USERS (400 refusal).
func (s *Server) nonSuperuserTarget(c *call, refusal string) (*store.Namespace, error) {
	if err := c.requireSuperuser(); err != nil {
		return nil, err
	}
	u, ok := c.read.User(c.param("username"))
	if !ok {
		return nil, errNotFound
	}
	if s.isSuperuserName(u.Name) {
		return nil, invalidRequest(refusal)
	}
	return u, nil
}

// tombstone draws the random name and e-mail a deleted namespace takes.
func (s *Server) tombstone() store.Tombstone {
	return store.Tombstone{Name: s.rand.uuid(), Email: s.rand.uuid()}
}

// userPasswordKey stands in for the AES key Quay derives from SECRET_KEY.
var userPasswordKey = []byte("fakequay-user-password-aes256key")

// encryptUserPassword is Quay's encrypt_user_password: standard base64 of
// IV || AES-CBC(PKCS7(json.dumps({"password": pw}))). A client can only
// treat it as an opaque credential, as with Quay.
func (s *Server) encryptUserPassword(pw string) string {
	plain := pyDumps(struct {
		Password string `json:"password"`
	}{pw})
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	for range pad {
		plain = append(plain, byte(pad))
	}
	block, err := aes.NewCipher(userPasswordKey)
	if err != nil {
		panic(err)
	}
	out := make([]byte, aes.BlockSize+len(plain))
	_, _ = s.rand.Read(out[:aes.BlockSize])
	cipher.NewCBCEncrypter(block, out[:aes.BlockSize]).CryptBlocks(out[aes.BlockSize:], plain)
	return base64.StdEncoding.EncodeToString(out)
}
