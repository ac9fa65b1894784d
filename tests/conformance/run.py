#!/usr/bin/env python3
"""Score a BPF runtime against the bpf_conformance test corpus.

This is bpfhost's own driver for the public ISA conformance suite
(https://github.com/Alan-Jowett/bpf_conformance). The suite's .data files are
NOT part of this repository: clone that project and point this script at its
tests/ directory (and, if wanted, tests/rfc9669/), for example

    git clone https://github.com/Alan-Jowett/bpf_conformance /tmp/bpfc
    tests/conformance/run.py --plugin build/bpfhost --plugin-args "--interp checked" \
        /tmp/bpfc/tests /tmp/bpfc/tests/rfc9669

The script parses each .data file, assembles its `-- asm` section (or takes
`-- raw`), and runs the plugin the way bpf_conformance_runner does:

    argv:   PLUGIN [PREFIX...] [MEMORY] [PLUGIN-ARGS...]
            MEMORY is present only if the test has `-- mem`: every byte as two
            lowercase hex digits followed by two spaces ("11  22  ").
            PLUGIN-ARGS is --plugin-args split on single spaces (as the runner
            splits --plugin_options). PREFIX is not part of the suite's protocol:
            it stands for a wrapper script (default "exec", for `bpfhost exec`);
            use --plugin-prefix "" for a genuine bpf_conformance plugin.
    stdin:  the program, each byte as "%02x  " (two spaces), then a newline.
    stdout: r0 in hex (a leading 0x is allowed); exit status 0.
    errors: non-zero exit status; the message is stdout, or stderr if stdout is
            empty. It passes only if the test has an `-- error` section.

Only the Python 3 standard library is used. Exit status is 0 iff all run tests pass.
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys

MASK64 = (1 << 64) - 1


def stoull(text, base):
    """Parse like C++ std::stoull: skip spaces, optional sign/0x, at least one digit."""
    m = re.match(r'\s*([+-]?)(0[xX])?([0-9a-fA-F]+)' if base == 16 else r'\s*([+-]?)()([0-9]+)', text)
    if not m:
        raise ValueError('not a number: %r' % text)
    value = int(m.group(3), base)
    return (-value if m.group(1) == '-' else value) & MASK64


def number(text):
    """The assembler's integer syntax: hex if the token contains 0x, else decimal."""
    return stoull(text, 16 if '0x' in text else 10)


# ---------------------------------------------------------------- test file parser

class Test:
    def __init__(self, path):
        self.path, self.asm, self.raw, self.mem = path, [], [], b''
        self.result, self.error, self.has_error = None, '', False
        self.skip = None  # reason the test cannot be run here
        self.maps = []  # (name, type, key_size, value_size, max_entries) from -- map


def parse_test(path):
    t = Test(path)
    state, mem, result = None, [], ''
    with open(path, encoding='utf-8', errors='replace', newline='') as f:
        lines = f.read().split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    for line in lines:
        line = line[:-1] if line.endswith('\r') else line
        if '--' in line:  # a directive; same matching order as the suite's parser
            for key, st in (('asm', 'asm'), ('result', 'result'), ('mem', 'mem'), ('raw', 'raw'),
                            ('no register offset', None), (' c', None), ('error', 'error'), ('map', 'map')):
                if key in line:
                    state = st
                    break
            else:
                t.skip = 'unknown directive %r' % line
                return t
            if state == 'error':
                t.has_error = True
            continue
        if not line:
            continue
        if state == 'asm':
            t.asm.append(line.split('#', 1)[0])
        elif state == 'result':
            result = line
        elif state == 'mem':
            mem += line.split()
        elif state == 'error':
            t.error = line
        elif state == 'raw':
            t.raw += line.split()
        elif state == 'map' and not line.lstrip().startswith('#'):
            name, *nums = line.split()
            t.maps.append((name, *(int(n, 0) for n in nums)))
    if not result and not t.error and not t.has_error:
        t.skip = t.skip or 'no result or error'
    if result:
        t.result = stoull(result, 16) if '0x' in result else stoull(result, 10)
    t.mem = bytes(int(x, 16) & 0xff for x in mem)
    return t


# ---------------------------------------------------------------- assembler

ALU = {'add': 0x0, 'sub': 0x1, 'mul': 0x2, 'div': 0x3, 'sdiv': 0x3, 'or': 0x4, 'and': 0x5,
       'lsh': 0x6, 'rsh': 0x7, 'neg': 0x8, 'mod': 0x9, 'smod': 0x9, 'xor': 0xa, 'mov': 0xb,
       'arsh': 0xc}
JMP = {'jeq': 0x1, 'jgt': 0x2, 'jge': 0x3, 'jset': 0x4, 'jne': 0x5, 'jsgt': 0x6, 'jsge': 0x7,
       'jlt': 0xa, 'jle': 0xb, 'jslt': 0xc, 'jsle': 0xd}
SIZE = {'w': 0x00, 'h': 0x08, 'b': 0x10, 'dw': 0x18}
ATOMIC = {'add': 0x00, 'or': 0x40, 'and': 0x50, 'xor': 0xa0, 'xchg': 0xe1, 'cmpxchg': 0xf1}
HELPERS = {'bpf_map_lookup_elem': 1, 'bpf_map_update_elem': 2, 'bpf_map_delete_elem': 3}


class AsmError(Exception):
    pass


def reg(tok):
    m = re.fullmatch(r'%?r(\d+)', tok)
    if not m or int(m.group(1)) > 15:  # r11..r15 are accepted for negative tests
        raise AsmError('invalid register: ' + tok)
    return int(m.group(1))


def is_reg(tok):
    return re.fullmatch(r'%?r\d+', tok) is not None


def mem_operand(tok):
    """[%rN], [%rN+off] or [%rN-off] -> (register, 16-bit offset)."""
    m = re.fullmatch(r'\[(%?r\d+)\s*(?:([+-]\s*\w+))?\]', tok)
    if not m:
        raise AsmError('failed to decode register and offset: ' + tok)
    return reg(m.group(1)), number(m.group(2).replace(' ', '')) & 0xffff if m.group(2) else 0


def encode(op, dst=0, src=0, off=0, imm=0):
    return (op | (dst & 0xf) << 8 | (src & 0xf) << 12 | (off & 0xffff) << 16 | (imm & 0xffffffff) << 32)


def assemble(lines, maps=()):
    """Return a list of 64-bit instruction words (bpf_conformance assembly syntax).
    map_by_fd(NAME) becomes an LD_IMM64 of src 1 whose imm is NAME's index in maps:
    bpfhost exec's --map options create the maps and put their fds there."""
    map_index = {m[0]: i for i, m in enumerate(maps)}
    words, labels, fixups = [], {}, []  # fixups: (index, label, field)
    for line in lines:
        toks = [t.rstrip(',') for t in line.replace(',', ', ').split()]
        toks = [t for t in toks if t]
        if not toks:
            continue
        mn, ops = toks[0], toks[1:]
        if mn.endswith(':'):
            if mn[:-1] in labels:
                raise AsmError('duplicate label ' + mn[:-1])
            labels[mn[:-1]] = len(words)
            continue
        if mn == 'exit' and 'exit' not in labels:
            labels['exit'] = len(words)  # the first exit is also a label
        pc = len(words)

        def target(tok, field):
            if tok[0] in '+-':
                return number(tok)
            fixups.append((pc, tok, field))
            return 0

        m = re.fullmatch(r'(be|le|swap|bswap)(16|32|64)', mn)
        if m:
            op = {'be': 0xdc, 'le': 0xd4}.get(m.group(1), 0xd7)
            words.append(encode(op, reg(ops[0]), imm=int(m.group(2))))
            continue
        # ALU and conditional-jump mnemonics: NAME, NAME32, NAME64; movsx<from><to>
        m = re.fullmatch(r'(movsx)(8|16|32)(32|64)|([a-z]+?)(32|64)?', mn)
        if not m:
            raise AsmError('invalid mnemonic: ' + mn)
        base = 'mov' if m.group(1) else m.group(4)
        width = m.group(3) or m.group(5)
        if base in ALU:
            cls = 0x04 if width == '32' else 0x07
            off = int(m.group(2)) if m.group(1) else (1 if base in ('sdiv', 'smod') else 0)
            if len(ops) != (1 if base == 'neg' else 2):
                raise AsmError('invalid number of operands for mnemonic: ' + mn)
            if base == 'neg':
                words.append(encode(0x80 | cls, reg(ops[0])))
            elif is_reg(ops[1]):
                words.append(encode(ALU[base] << 4 | 0x08 | cls, reg(ops[0]), reg(ops[1]), off))
            else:
                words.append(encode(ALU[base] << 4 | cls, reg(ops[0]), off=off, imm=number(ops[1])))
        elif mn == 'lddw':
            if ops[1].startswith('map_by_fd('):
                name = ops[1][len('map_by_fd('):].rstrip(')')
                if name not in map_index:
                    raise AsmError('unknown map ' + name)
                words += [encode(0x18, reg(ops[0]), src=1, imm=map_index[name]), encode(0)]
                continue
            v = number(ops[1])
            words += [encode(0x18, reg(ops[0]), imm=v), encode(0, imm=v >> 32)]
        elif re.fullmatch(r'ldxs?(b|h|w|dw)', mn):
            s, off = mem_operand(ops[1])
            sx = mn[3] == 's'  # ldxs{b,h,w}: sign-extending load, mode MEMSX (0x80)
            words.append(encode(0x01 | (0x80 if sx else 0x60) | SIZE[mn[4:] if sx else mn[3:]], reg(ops[0]), s, off))
        elif re.fullmatch(r'st(b|h|w|dw)', mn):
            d, off = mem_operand(ops[0])
            words.append(encode(0x62 | SIZE[mn[2:]], d, 0, off, number(ops[1])))
        elif re.fullmatch(r'stx(b|h|w|dw)', mn):
            d, off = mem_operand(ops[0])
            words.append(encode(0x63 | SIZE[mn[3:]], d, reg(ops[1]), off))
        elif mn == 'lock':  # lock [fetch] op[32] [dst+off], src
            fetch = ops[0] == 'fetch'
            ops = ops[1:] if fetch else ops
            name = ops[0][:-2] if ops[0].endswith('32') else ops[0]
            if name not in ATOMIC or len(ops) != 3:
                raise AsmError('invalid number of operands for lock')
            d, off = mem_operand(ops[1])
            words.append(encode(0xc3 if ops[0].endswith('32') else 0xdb, d, reg(ops[2]), off,
                                ATOMIC[name] | (1 if fetch else 0)))
        elif mn == 'exit':
            words.append(encode(0x95))
        elif mn in ('ja', 'ja32'):
            words.append(encode(0x05, off=target(ops[0], 'off')) if mn == 'ja'
                         else encode(0x06, imm=target(ops[0], 'imm')))
        elif mn == 'call':
            kind, tok = (ops[0], ops[1]) if len(ops) == 2 else ('helper', ops[0])
            if kind == 'local':
                words.append(encode(0x85, src=1, imm=target(tok, 'imm')))
            elif kind == 'runtime':
                words.append(encode(0x85, src=2, imm=number(tok)))
            elif kind != 'helper':
                raise AsmError('invalid call mode ' + kind)
            elif is_reg(tok):
                words.append(encode(0x8d, dst=reg(tok)))  # callx: register in dst
            elif tok in HELPERS:
                words.append(encode(0x85, imm=HELPERS[tok]))
            else:
                words.append(encode(0x85, imm=number(tok)))
        elif base in JMP:
            cls = 0x06 if width == '32' else 0x05
            if len(ops) != 3:
                raise AsmError('invalid number of operands for mnemonic: ' + mn)
            off = target(ops[2], 'off')
            if is_reg(ops[1]):
                words.append(encode(JMP[base] << 4 | 0x08 | cls, reg(ops[0]), reg(ops[1]), off))
            else:
                words.append(encode(JMP[base] << 4 | cls, reg(ops[0]), off=off, imm=number(ops[1])))
        else:
            raise AsmError('invalid mnemonic: ' + mn)
    for pc, label, field in fixups:
        if label not in labels:
            raise AsmError('invalid label: ' + label)
        rel = labels[label] - pc - 1
        w = words[pc]
        words[pc] = (w & ~(0xffff << 16)) | (rel & 0xffff) << 16 if field == 'off' else \
            (w & MASK64 >> 32) | (rel & 0xffffffff) << 32
    return words


# ---------------------------------------------------------------- required CPU version and groups

def requirements(words):
    """(cpu version 1..4, set of groups) needed by the instructions, after the suite's table."""
    cpu, groups, skip = 1, set(), False
    for w in words:
        if skip:
            skip = False
            continue
        op, src, off = w & 0xff, (w >> 12) & 0xf, (w >> 16) & 0xffff
        skip = op == 0x18
        cls = op & 7
        if op in (0x20, 0x28, 0x30, 0x40, 0x48, 0x50):
            groups.add('packet')
        elif op == 0x8d:
            groups.add('callx')
        elif op in (0xc3, 0xdb):
            groups.add('atomic32' if op == 0xc3 else 'atomic64')
            cpu = max(cpu, 3)
        elif cls in (4, 7) and (op >> 4) in (2, 3, 9):
            groups.add('divmul32' if cls == 4 else 'divmul64')
        else:
            groups.add('base')  # base32/base64 are not told apart here
        if (op in (0x34, 0x37, 0x3c, 0x3f, 0x94, 0x97, 0x9c, 0x9f) and off == 1) or \
                (op in (0xbc, 0xbf) and off in (8, 16, 32)) or op in (0x06, 0xd7, 0x81, 0x89, 0x91):
            cpu = 4
        elif cls == 6 or (op == 0x85 and src in (1, 2)):
            cpu = max(cpu, 3)
        elif op in (0xa5, 0xad, 0xb5, 0xbd, 0xc5, 0xcd, 0xd5, 0xdd):
            cpu = max(cpu, 2)
    return cpu, groups


# ---------------------------------------------------------------- running one test

def hexbytes(data):
    return ''.join('%02x  ' % b for b in data)


def program_bytes(words):
    return b''.join(w.to_bytes(8, 'little') for w in words)


def run_test(t, words, opts):
    """Return (ok, reason)."""
    maps = ['--map=%s:%d:%d:%d:%d' % m for m in t.maps]
    argv = [opts.plugin] + opts.prefix + ([hexbytes(t.mem)] if t.mem else []) + maps + opts.args
    try:
        p = subprocess.run(argv, input=hexbytes(program_bytes(words)) + '\n', capture_output=True,
                           text=True, timeout=opts.timeout)
    except subprocess.TimeoutExpired:
        return False, 'timed out after %gs' % opts.timeout
    except OSError as e:
        return False, 'plugin failed to execute: %s' % e
    out = ''.join(p.stdout.splitlines())
    if p.returncode != 0:
        msg = out or ''.join(p.stderr.splitlines())
        msg = msg.split('\r', 1)[0]
        if not t.has_error:
            return False, 'plugin returned error code %d and output %s' % (p.returncode, msg.strip())
        if not t.error or t.error == msg or t.error in msg:
            return True, ''
        return False, 'plugin returned error code %d and output %r but expected %r' % (
            p.returncode, msg, t.error)
    if t.has_error and t.result is None:
        return False, 'expected an error %r, plugin succeeded with %s' % (t.error, out)
    try:
        value = stoull(out, 16)
    except ValueError:
        return False, 'plugin return value could not be parsed (%s)' % out
    if value != t.result:
        return False, 'returned 0x%x, expected 0x%x' % (value, t.result)
    return True, ''


def collect(paths, recursive):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                files += [os.path.join(root, n) for n in names if n.endswith('.data')]
                if not recursive:
                    break
        else:
            files.append(p)
    return sorted(set(files))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('paths', nargs='+', help='.data files or directories of them')
    ap.add_argument('--plugin', default='build/bpfhost', help='plugin executable (default build/bpfhost)')
    ap.add_argument('--plugin-prefix', default='exec', help='arguments before MEMORY (default "exec")')
    ap.add_argument('--plugin-args', default='', help='arguments after MEMORY, like --plugin_options')
    ap.add_argument('--timeout', type=float, default=10.0, help='seconds per test (default 10)')
    ap.add_argument('--cpu', type=int, default=4, choices=(1, 2, 3, 4), help='skip tests needing a newer ISA')
    ap.add_argument('--exclude-groups', default='', help='comma list of: atomic32,atomic64,divmul32,'
                    'divmul64,packet,callx (the suite excludes packet,callx by default)')
    ap.add_argument('--exclude-regex', help='skip tests whose file name matches')
    ap.add_argument('-r', '--recursive', action='store_true', help='also scan subdirectories')
    ap.add_argument('--list-cpu', action='store_true', help='print each test\'s CPU version and groups, run nothing')
    ap.add_argument('-j', '--jobs', type=int, default=os.cpu_count() or 1)
    ap.add_argument('-v', '--verbose', action='store_true', help='also list passing and skipped tests')
    opts = ap.parse_args()
    opts.prefix = opts.plugin_prefix.split(' ') if opts.plugin_prefix else []
    opts.args = opts.plugin_args.split(' ') if opts.plugin_args else []
    excluded = {g for g in opts.exclude_groups.split(',') if g}

    todo, skipped, failures = [], [], []
    for path in collect(opts.paths, opts.recursive):
        name = os.path.relpath(path)
        t = parse_test(path)
        words = None
        if not t.skip:
            try:
                words = [number(w) for w in t.raw] if t.raw else assemble(t.asm, t.maps)
                if not words:
                    t.skip = 'no instructions'
            except (AsmError, ValueError, IndexError) as e:
                t.skip = 'does not assemble: %s' % e
        if words and opts.list_cpu:
            cpu, groups = requirements(words)
            print('%s v%d %s' % (name, cpu, ','.join(sorted(groups))))
            continue
        if words and not t.skip:
            cpu, groups = requirements(words)
            if cpu > opts.cpu or groups & excluded:
                t.skip = 'needs ISA v%d, groups %s' % (cpu, ','.join(sorted(groups)))
            elif opts.exclude_regex and re.search(opts.exclude_regex, os.path.basename(path)):
                t.skip = 'excluded by regex'
        if t.skip:
            skipped.append((name, t.skip))
        else:
            todo.append((name, t, words))
    if opts.list_cpu:
        return 0

    with concurrent.futures.ThreadPoolExecutor(max(1, opts.jobs)) as pool:
        results = list(pool.map(lambda job: (job[0], run_test(job[1], job[2], opts)), todo))
    for name, (ok, reason) in results:
        if not ok:
            failures.append(name)
            print('FAIL %s: %s' % (name, reason))
        elif opts.verbose:
            print('pass %s' % name)
    for name, reason in skipped if opts.verbose else []:
        print('skip %s: %s' % (name, reason))
    if not opts.verbose and failures:
        print('plugin command: %s' % ' '.join(shlex.quote(a) for a in [opts.plugin] + opts.prefix +
                                                ['[MEMORY]'] + opts.args))
    if skipped:
        print('skipped %d (-v lists them)' % len(skipped))
    print('passed %d/%d' % (len(results) - len(failures), len(results)))
    return 0 if not failures else 1


if __name__ == '__main__':
    sys.exit(main())
