package fakequay

import "net/http"

// Registry size: reference §2.18 and §2.19. Both operations are internal
// (absent from the discovery document) and need no quota feature flag.

func registryRoutes() []*route {
	return []*route{{pattern: "/api/v1/superuser/registrysize/", ops: map[string]*operation{
		http.MethodGet:  {nickname: "getRegistrySize", freshLogin: true, handle: (*Server).getRegistrySize},
		http.MethodPost: {nickname: "queueRegistrySizeCalculation", freshLogin: true, handle: (*Server).queueRegistrySizeCalculation},
	}}}
}

// getRegistrySize: §2.18. Without a row Quay answers a literal whose key
// order differs from the row's.
func (s *Server) getRegistrySize(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	rs, ok := c.read.RegistrySize()
	if !ok {
		c.restful(http.StatusOK, noRegistrySizeView{})
		return nil
	}
	c.restful(http.StatusOK, registrySizeView{SizeBytes: rs.SizeBytes, LastRan: rs.CompletedMs, Queued: rs.Queued, Running: rs.Running})
	return nil
}

// queueRegistrySizeCalculation: §2.19. 201 when this call queued a
// calculation, 202 when one was already queued or running; the body is the
// JSON string "" either way. The worker picks it up on clock advance.
func (s *Server) queueRegistrySizeCalculation(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	already, err := s.store.QueueRegistrySizeCalculation()
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if already {
		status = http.StatusAccepted
	}
	c.restful(status, "")
	return nil
}
