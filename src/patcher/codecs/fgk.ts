import { fail, truncated } from '../errors.ts';

const ALPHABET = 256;
const TOTAL_NODES = 2 * ALPHABET - 1;
const TOTAL_BLOCKS = 2 * TOTAL_NODES;
const NIL = -1;

/**
 * xdelta3's FGK adaptive Huffman secondary decoder (VCDIFF secondary id 16). The model adapts across
 * sections: one instance serves every section of one kind (data, instructions or addresses) for the
 * whole patch, exactly as xdelta3 keeps one stream per kind. Nodes live in typed arrays; -1 is null.
 */
export class FgkDecoder {
  private readonly weight = new Uint32Array(TOTAL_NODES);
  private readonly parent = new Int32Array(TOTAL_NODES);
  private readonly leftChild = new Int32Array(TOTAL_NODES);
  private readonly rightChild = new Int32Array(TOTAL_NODES);
  private readonly left = new Int32Array(TOTAL_NODES); // sibling order, toward lower weight
  private readonly right = new Int32Array(TOTAL_NODES);
  private readonly myBlock = new Int32Array(TOTAL_NODES);
  private readonly blockLeader = new Int32Array(TOTAL_BLOCKS);
  private readonly blockNext = new Int32Array(TOTAL_BLOCKS);
  private readonly coded = new Uint8Array(ALPHABET);
  private freeBlock = 0;
  private freeNode = ALPHABET;
  private rootNode = 0;
  private decodePtr = 0;
  private remainingZeros = 0;
  private codedDepth = 0;
  private zeroFreqCount = ALPHABET + 2;
  private zeroFreqExp = 0;
  private zeroFreqRem = 0;

  constructor() {
    this.factorRemaining();
    this.factorRemaining();
    for (let i = 0; i < TOTAL_BLOCKS; i++) this.blockNext[i] = i + 1 < TOTAL_BLOCKS ? i + 1 : NIL;
    for (let i = ALPHABET - 1; i >= 0; i--) {
      this.rightChild[i] = i < ALPHABET - 1 ? i + 1 : NIL;
      this.leftChild[i] = i >= 1 ? i - 1 : NIL;
      this.weight[i] = 0;
      this.parent[i] = this.right[i] = this.left[i] = this.myBlock[i] = NIL;
    }
  }

  /** Decodes exactly `outLen` bytes; the input must be used up (trailing bits of its last byte ignored). */
  decode(input: Uint8Array, outLen: number): Buffer {
    const out = Buffer.allocUnsafe(outLen);
    let o = 0;
    for (let i = 0; i < input.length; i++) {
      const byte = input[i]!;
      for (let mask = 1; mask !== 0x100; mask <<= 1) {
        if (!this.decodeBit(byte & mask ? 1 : 0)) continue;
        out[o++] = this.decodeData();
        if (o === outLen) {
          if (i !== input.length - 1) fail('FGK secondary decoder finished with unused input');
          return out;
        }
      }
    }
    return truncated('FGK secondary section');
  }

  /** Updates the model as if `plain` had been coded (see SecondaryDecoder.observe). */
  observe(plain: Uint8Array): void {
    for (let i = 0; i < plain.length; i++) this.updateTree(plain[i]!);
    this.decodePtr = this.rootNode;
  }

  private factorRemaining(): void {
    let i = --this.zeroFreqCount;
    this.zeroFreqExp = 0;
    while (i > 1) {
      this.zeroFreqExp++;
      i >>= 1;
    }
    this.zeroFreqRem = this.zeroFreqCount - (1 << this.zeroFreqExp);
  }

  private decodeBit(b: number): boolean {
    const p = this.decodePtr;
    if (this.weight[p] === 0) {
      const required = this.zeroFreqRem === 0 ? this.zeroFreqExp : this.zeroFreqExp + 1;
      if (this.codedDepth >= ALPHABET) fail('FGK secondary data is invalid');
      this.coded[this.codedDepth++] = b;
      return this.codedDepth >= required;
    }
    const next = b ? this.rightChild[p]! : this.leftChild[p]!;
    if (next === NIL) fail('FGK secondary data is invalid');
    this.decodePtr = next;
    if (this.leftChild[next] === NIL) return this.weight[next] !== 0 || this.zeroFreqCount === 1;
    return false;
  }

  private decodeData(): number {
    let elt = this.decodePtr;
    if (this.weight[elt] === 0) {
      let n = 0;
      let i = 0;
      if (this.codedDepth > 0) {
        for (; i < this.codedDepth - 1; i++) {
          n |= this.coded[i]!;
          n <<= 1;
        }
      }
      n |= this.coded[i]!;
      elt = this.nthZero(n);
    }
    if (elt < 0 || elt >= ALPHABET) fail('FGK secondary data is invalid');
    this.codedDepth = 0;
    this.updateTree(elt);
    this.decodePtr = this.rootNode;
    return elt;
  }

  private nthZero(n: number): number {
    let ret = this.remainingZeros;
    if (ret === NIL) fail('FGK secondary data is invalid');
    for (; n !== 0 && this.rightChild[ret] !== NIL; n--) ret = this.rightChild[ret]!;
    return ret;
  }

  private updateTree(n: number): void {
    let incr = this.weight[n] === 0 ? this.increaseZeroWeight(n) : n;
    while (incr !== this.rootNode) {
      this.moveRight(incr);
      this.promote(incr);
      this.weight[incr]!++;
      incr = this.parent[incr]!;
      if (incr === NIL) fail('FGK secondary data is invalid');
    }
    this.weight[this.rootNode]!++;
  }

  private setChildSlot(parent: number, isRight: boolean, node: number): void {
    if (isRight) this.rightChild[parent] = node;
    else this.leftChild[parent] = node;
  }

  private moveRight(fwd: number): void {
    const back = this.blockLeader[this.myBlock[fwd]!]!;
    if (fwd === back || this.parent[fwd] === back || this.weight[fwd] === 0) return;
    const { left, right } = this;
    left[right[back]!] = fwd;
    if (left[fwd] !== NIL) right[left[fwd]!] = back;
    let tmp = right[fwd]!;
    right[fwd] = right[back]!;
    if (tmp === back) right[back] = fwd;
    else {
      left[tmp] = back;
      right[back] = tmp;
    }
    tmp = left[back]!;
    left[back] = left[fwd]!;
    if (tmp === fwd) left[fwd] = back;
    else {
      right[tmp] = fwd;
      left[fwd] = tmp;
    }
    const pf = this.parent[fwd]!;
    const pb = this.parent[back]!;
    const fwdRight = this.rightChild[pf] === fwd;
    const backRight = this.rightChild[pb] === back;
    this.parent[fwd] = pb;
    this.parent[back] = pf;
    this.setChildSlot(pf, fwdRight, back);
    this.setChildSlot(pb, backRight, fwd);
    this.blockLeader[this.myBlock[fwd]!] = fwd;
  }

  private promote(node: number): void {
    const myRight = this.right[node]!;
    const myLeft = this.left[node]!;
    const cur = this.myBlock[node]!;
    if (this.weight[node] === 0) return;
    const lc = this.leftChild[node]!;
    if (myLeft === this.rightChild[node] && lc !== NIL && this.weight[lc] === 0) {
      if (myRight !== NIL && this.weight[node] === this.weight[myRight]! - 1 && myRight !== this.rootNode) {
        this.releaseBlock(cur);
        this.myBlock[node] = this.myBlock[myRight]!;
        this.myBlock[myLeft] = this.myBlock[myRight]!;
      }
      return;
    }
    if (myLeft === this.remainingZeros) return;
    if (this.myBlock[myLeft] === cur) this.blockLeader[cur] = myLeft;
    else this.releaseBlock(cur);
    if (myRight !== NIL && this.weight[node] === this.weight[myRight]! - 1 && myRight !== this.rootNode) {
      this.myBlock[node] = this.myBlock[myRight]!;
    } else {
      this.myBlock[node] = this.makeBlock(node);
    }
  }

  private increaseZeroWeight(n: number): number {
    const zero = n;
    if (this.zeroFreqCount === 1) {
      this.rightChild[zero] = NIL;
      const r = this.right[zero]!;
      this.myBlock[zero] = r !== NIL && this.weight[r] === 1 ? this.myBlock[r]! : this.makeBlock(zero);
      this.remainingZeros = NIL;
      return zero;
    }
    const zeroPtr = this.remainingZeros;
    if (this.freeNode >= TOTAL_NODES) fail('FGK secondary data is invalid');
    const internal = this.freeNode++;
    this.parent[internal] = this.parent[zeroPtr]!;
    this.right[internal] = this.right[zeroPtr]!;
    this.weight[internal] = 0;
    this.rightChild[internal] = zero;
    this.left[internal] = zero;
    if (this.remainingZeros === this.rootNode) {
      this.rootNode = internal;
      this.myBlock[zero] = this.makeBlock(zero);
      this.myBlock[internal] = this.makeBlock(internal);
    } else {
      const r = this.right[internal];
      this.left[r] = internal;
      const zp = this.parent[zeroPtr]!;
      if (this.rightChild[zp] === zeroPtr) this.rightChild[zp] = internal;
      else this.leftChild[zp] = internal;
      this.myBlock[internal] = this.weight[r] === 1 ? this.myBlock[r]! : this.makeBlock(internal);
      this.myBlock[zero] = this.myBlock[internal]!;
    }
    this.eliminateZero(zero);
    const rz = this.remainingZeros;
    this.leftChild[internal] = rz;
    this.right[zero] = internal;
    this.left[zero] = rz;
    this.parent[zero] = internal;
    this.leftChild[zero] = NIL;
    this.rightChild[zero] = NIL;
    this.parent[rz] = internal;
    this.right[rz] = zero;
    return zero;
  }

  private eliminateZero(node: number): void {
    if (this.zeroFreqCount === 1) return;
    this.factorRemaining();
    if (this.leftChild[node] === NIL) {
      this.remainingZeros = this.rightChild[this.remainingZeros]!;
      this.leftChild[this.remainingZeros] = NIL;
    } else if (this.rightChild[node] === NIL) {
      this.rightChild[this.leftChild[node]!] = NIL;
    } else {
      this.leftChild[this.rightChild[node]!] = this.leftChild[node]!;
      this.rightChild[this.leftChild[node]!] = this.rightChild[node]!;
    }
  }

  private makeBlock(lead: number): number {
    const b = this.freeBlock;
    if (b === NIL) fail('FGK secondary data is invalid');
    this.freeBlock = this.blockNext[b]!;
    this.blockLeader[b] = lead;
    return b;
  }

  private releaseBlock(b: number): void {
    this.blockNext[b] = this.freeBlock;
    this.freeBlock = b;
  }
}
