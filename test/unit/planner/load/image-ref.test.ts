// Image references as distribution/reference parses them (reference_test.go TestReferenceParse, normalize_test.go
// TestValidateReferenceName / TestValidateRemoteName), the grammar the engine refuses with "invalid reference format".
import { describe, expect, it } from 'vitest';
import { imageReferenceProblem } from '../../../../src/planner/load/image-ref.js';
import { loadError, loadToml } from '../../../fixtures/load-toml.js';

const digest = `sha256:${'f'.repeat(64)}`;

describe('imageReferenceProblem', () => {
  it.each([
    // TestReferenceParse
    'test_com',
    'test.com:tag',
    'test.com:5000',
    'test.com/repo:tag',
    'test:5000/repo',
    'test:5000/repo:tag',
    `test:5000/repo@${digest}`,
    `test:5000/repo:tag@${digest}`,
    'lowercase:Uppercase',
    'Uppercase/lowercase:tag',
    `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
    'sub-dom1.foo.com/bar/baz/quux',
    'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
    'b.gcr.io/test.example.com/my-app:test.example.com',
    'xn--n3h.com/myimage:xn--n3h.com',
    `xn--7o8h.com/myimage:xn--7o8h.com@${digest}`,
    'foo_bar.com:8080',
    'foo/foo_bar.com:8080',
    '192.168.1.1',
    '192.168.1.1:tag',
    '192.168.1.1:5000',
    '192.168.1.1/repo',
    '192.168.1.1:5000/repo',
    '192.168.1.1:5000/repo:5050',
    '[2001:db8::1]/repo',
    '[2001:db8:1:2:3:4:5:6]/repo:tag',
    '[2001:db8::1]:5000/repo',
    '[2001:db8::1]:5000/repo:tag',
    `[2001:db8::1]:5000/repo@${digest}`,
    `[2001:db8::1]:5000/repo:tag@${digest}`,
    '[2001:db8::]:5000/repo',
    '[::1]:5000/repo',
    `example.com/${'a'.repeat(255)}:tag`,
    // TestValidateReferenceName
    'docker/docker',
    'library/debian',
    'localhost/library/debian',
    'LOCALDOMAIN/library/debian',
    'docker.io/library/debian',
    '127.0.0.1:5000/docker/docker',
    '192.168.0.1:80',
    '192.168.0.1:8/debian',
    'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
    '[fc00::1]:5000/docker',
    '[fc00:1:2:3:4:5:6:7]:5000/library/debian',
    'docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
    'Docker/docker',
    'DOCKER/docker',
    // TestValidateRemoteName
    'docker-rules/docker',
    'docker---rules/docker',
    'd/docker',
    'jess/t',
    'dock__er/docker',
    // everyday ones
    'nginx',
    'nginx:1.27-alpine',
    'ghcr.io/owner/app:v1.2.3',
    'surge-test/busybox:1',
    `nginx@${digest}`,
  ])('%s is valid', (ref) => {
    expect(imageReferenceProblem(ref)).toBeNull();
  });

  it.each([
    // TestReferenceParse
    ['', 'it is empty'],
    [':justtag', 'the repository name is empty'],
    [`@${digest}`, 'the repository name is empty'],
    [`repo@sha256:${'f'.repeat(34)}`, 'the digest after "@" must be sha256: and 64 lowercase hex digits (or sha384: 96, sha512: 128)'],
    [`validname@invaliddigest:${'f'.repeat(64)}`, 'the digest after "@" must be sha256: and 64 lowercase hex digits (or sha384: 96, sha512: 128)'],
    ['Uppercase:tag', 'the repository name must be lowercase'],
    ['test:5000/Uppercase/lowercase:tag', 'the repository name must be lowercase'],
    [`domain/${'a'.repeat(256)}:tag`, 'the repository name is longer than 255 characters'],
    ['aa/asdf$$^/aa', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['[2001:db8::1]', 'the tag after ":" may hold letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")'],
    ['[2001:db8::1]:5000', 'the tag after ":" may hold letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")'],
    ['[fe80::1%eth0]:5000/repo', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    // TestValidateReferenceName / TestValidateRemoteName
    ['https://github.com/docker/docker', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['docker/Docker', 'the repository name must be lowercase'],
    ['-docker', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['-docker.io/docker/docker', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['docker///docker', 'the repository name has an empty part between "/"'],
    ['fc00::1:5000/debian', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['[2001:db8:3:4::192.0.2.33]:5000/debian', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', 'a repository name cannot be 64 hexadecimal digits (an image ID)'],
    ['docker-/docker', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['____/____', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['_docker/_docker', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['dock..er/docker', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['dock-.er/docker', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['-docker-/docker', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['docker.io/docker///docker', 'the repository name has an empty part between "/"'],
    ['[fc00::1]', 'the tag after ":" may hold letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")'],
    ['dock_.er/docker', 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts'],
    ['docker/', 'the repository name has an empty part between "/"'],
    [`${'this_is_not_a_valid_namespace_'.repeat(9)}/docker`, 'the repository name is longer than 255 characters'],
    // what an unset variable leaves
    ['nginx:', 'the tag after ":" is empty'],
    ['/nginx', 'the repository name has an empty part between "/"'],
    ['nginx:-', 'the tag after ":" may hold letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")'],
    [`nginx:${'a'.repeat(129)}`, 'the tag after ":" may hold letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")'],
    ['nginx@', 'the digest after "@" must be sha256: and 64 lowercase hex digits (or sha384: 96, sha512: 128)'],
  ])('%s: %s', (ref, problem) => {
    expect(imageReferenceProblem(ref)).toBe(problem);
  });

  it('a 10 MB reference is judged in well under a second', () => {
    const start = performance.now();
    for (const ref of [`${'a-'.repeat(5_000_000)}`, `${'a.'.repeat(2_500_000)}/x`, `x:${'a'.repeat(5_000_000)}`, `${'a/'.repeat(2_000_000)}A`]) {
      expect(imageReferenceProblem(ref)).not.toBeNull();
    }
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

describe('image in a Boltfile', () => {
  it('"nginx:${TAG}" with TAG unset is a located error: validate fails where up would', () => {
    expect(loadError('[services.web]\nimage = "nginx:${TAG}"')).toBe('Boltfile.toml:2:1: services.web.image: invalid image reference: the tag after ":" is empty');
  });

  it('a bolt:// image (Bolt\'s own registry) loads with a warning', () => {
    const { warnings } = loadToml('[services.web]\nimage = "bolt://steam:latest"');
    expect(warnings.map((w) => w.message)).toEqual(["warning: services.web.image: a bolt:// image is from Bolt's own registry, which a container engine cannot pull"]);
  });
});
