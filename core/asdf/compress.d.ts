// Minimal typings for the two CommonJS bzip2 packages we use (neither ships types).

declare module 'seek-bzip' {
  interface SeekBzip {
    /** Decode a whole bzip2 stream; returns a Node Buffer (a Uint8Array). */
    decode(input: Uint8Array, output?: Uint8Array | number, multistream?: boolean): Uint8Array;
  }
  const Bunzip: SeekBzip;
  export default Bunzip;
}

declare module 'compressjs' {
  interface Bzip2Codec {
    /** Compress to a bzip2 stream; `blockSizeMultiplier` 1..9 (x100 kB). Returns an array-like of bytes. */
    compressFile(input: Uint8Array, output?: undefined, blockSizeMultiplier?: number): ArrayLike<number>;
    decompressFile(input: Uint8Array): ArrayLike<number>;
  }
  const compressjs: { Bzip2: Bzip2Codec };
  export default compressjs;
}
