// A `.wasm` import in the workerd build (./wasm-source.workerd.ts): the runtime's compiled module.
declare module '*.wasm' {
  const compiled: WebAssembly.Module;
  export default compiled;
}
