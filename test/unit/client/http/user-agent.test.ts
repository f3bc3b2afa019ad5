import { describe, expect, it } from 'vitest';
import { userAgentOf } from '../../../../src/client/http/user-agent.js';
import { defaultFieldManager } from '../../../../src/server/write-options.js';

describe('userAgentOf', () => {
  it("has client-go's form, its first segment naming the component", () => {
    const arch = process.arch === 'x64' ? 'amd64' : process.arch;
    expect(userAgentOf('controller-manager', '0.1.0')).toBe(`tugboat-controller-manager/0.1.0 (${process.platform}/${arch}) tugboat`);
    expect(userAgentOf('tugboat', '0.1.0')).toMatch(/^tugboat\/0\.1\.0 \(/);
    expect(userAgentOf('tugboat-cli', '')).toMatch(/^tugboat-cli\/unknown \(/);
    expect(defaultFieldManager(userAgentOf('kubelet', '0.1.0'))).toBe('tugboat-kubelet');
  });
  it('keeps a header value printable and the first segment free of slashes', () => {
    expect(userAgentOf('a/b c', '1\n2')).toMatch(/^tugboat-a-b-c\/1-2 \(/);
  });
});
