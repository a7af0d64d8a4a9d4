package cxkit_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoDocLinksToInternalPackages: internal packages are not the user's to read, so no doc
// link ([...]) of a public package points into one, and the root package doc does not
// mention them at all.
func TestNoDocLinksToInternalPackages(t *testing.T) {
	link := regexp.MustCompile(`\[[^\]]*internal/[^\]]*\]|\[(stat|survey|wire)\.[A-Za-z]+\]`)
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(path, "internal") || strings.Contains(path, "/internal") || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if c := strings.TrimSpace(line); strings.HasPrefix(c, "//") && link.MatchString(c) {
				t.Errorf("%s:%d: doc link into an internal package: %s", path, i+1, c)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	root, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(root), "internal/") {
		t.Error("the root package doc presents an internal package")
	}
}
