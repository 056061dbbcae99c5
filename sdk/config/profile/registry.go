package profile

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/oneiros-zk/oneiros/sdk/config"
)

// ErrUnknown is returned (wrapped) by [Lookup] for a name no profile has.
var ErrUnknown = errors.New("unknown profile")

// ErrDuplicate is returned (wrapped) by [Register] for a name already taken.
var ErrDuplicate = errors.New("profile already registered")

var registry struct {
	sync.RWMutex
	byName map[string]*Profile
}

// the same rule as the config's profile key
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

func validName(s string) bool { return nameRE.MatchString(s) }

// Register adds p to the registry. It refuses a second profile of the same name and a
// profile that is incomplete or whose overrides leave an invalid configuration. Call it
// from an init function, before configurations that name the profile are resolved.
func Register(p Profile) error {
	if err := p.check(); err != nil {
		return err
	}
	registry.Lock()
	defer registry.Unlock()
	if registry.byName == nil {
		registry.byName = map[string]*Profile{}
	}
	if _, dup := registry.byName[p.Name]; dup {
		return fmt.Errorf("%w: %s", ErrDuplicate, p.Name)
	}
	registry.byName[p.Name] = &p
	return nil
}

// MustRegister is [Register] for init functions: an error there is a programming
// mistake, so it panics.
func MustRegister(p Profile) {
	if err := Register(p); err != nil {
		panic("profile: " + err.Error())
	}
}

// Lookup returns the profile registered under name. The result is a copy; changing it
// does not change the registry.
func Lookup(name string) (*Profile, error) {
	registry.RLock()
	p, ok := registry.byName[name]
	registry.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w %q (registered: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	c := *p
	return &c, nil
}

// List returns every registered profile, sorted by name; each is a copy.
func List() []*Profile {
	registry.RLock()
	out := make([]*Profile, 0, len(registry.byName))
	for _, p := range registry.byName {
		c := *p
		out = append(out, &c)
	}
	registry.RUnlock()
	slices.SortFunc(out, func(a, b *Profile) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Names returns the names of the registered profiles, sorted.
func Names() []string {
	var out []string
	for _, p := range List() {
		out = append(out, p.Name)
	}
	return out
}

// Select returns the profile that cfg's profile setting names and applies its overrides
// to cfg beneath the user's own settings. An unknown name is reported as a
// [*config.Error] placed where the name was written. To let a flag choose, set it first:
//
//	cfg.Set("--profile", "profile", name)
func Select(cfg *config.Config) (*Profile, error) {
	p, err := Lookup(cfg.Profile)
	if err != nil {
		return nil, cfg.Errorf("profile", "%w", err)
	}
	if err := p.Apply(cfg); err != nil {
		return nil, err
	}
	return p, nil
}
