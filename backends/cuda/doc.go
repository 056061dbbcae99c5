// Command oneiros-backend-cuda is the GPU proving backend: the Hemera Engine with its LDE
// and MSM kernels on ICICLE v3 (github.com/ingonyama-zk/icicle/v3 v3.9.2) through cgo,
// served through the backend contract. It builds the same engine as oneiros-backend-cpu,
// with hemera.WithKernels(icicle kernels) in place of the CPU ones, so its proofs are the
// CPU backend's byte for byte (the same proof_digest in `oneiros inspect -o json`; a test
// checks it). Users with an NVIDIA GPU swap it in at run time; everyone else keeps the
// CPU backend.
//
// # Usage
//
//	make cuda        # ICICLE's libraries (built once, cached), then bin/oneiros-backend-cuda -tags cuda
//	oneiros plugins inspect backend/cuda                    # devices, availability, where kernels run
//	oneiros prove --backend cuda --device cuda …            # on the GPU
//	oneiros prove --backend cuda --device cpu …             # on ICICLE's CPU device (no GPU needed)
//	oneiros prove --backend auto …                          # the GPU if this plugin reports one, else cpu
//	oneiros bench kernels --backend cuda [--device cpu]     # the kernel table, as for the CPU backend
//	make test-cuda   # kerneltest on ICICLE's CPU device; a proof equal to the CPU backend's
//
// `make plugins` builds this binary without the cuda tag (no cgo, no ICICLE): it starts,
// lists its devices as unavailable, "not compiled with CUDA support", and refuses work with
// that reason (an error wrapping backend.ErrInvalidInput; the host exits 2). Run `make
// cuda` after `make build`, which would replace the tagged binary.
//
// # Devices and kernels
//
// Describe lists two devices: "cuda" (the first GPU; --device cuda:N picks another) and
// "cpu" (ICICLE's own CPU device, compiled into ICICLE's libraries). An unavailable device
// carries the reason: not compiled with CUDA support; ICICLE's CUDA backend not loaded
// (ICICLE_BACKEND_INSTALL_DIR not set, or no libicicle_backend_cuda*.so there, or it failed
// to load); no GPU found. Without --device the GPU is used when there is one, ICICLE's CPU
// device otherwise. The host's --backend auto picks this backend only when its "cuda"
// device is available.
//
// Each device's kernels say where they run: "lde" and "msm" on the device; "merkle@host",
// "quotient@host" and "fri_fold@host" in Go on the host's CPU, inside this process:
//
//   - merkle: ICICLE v3.9.2's Poseidon2 cannot compute the engine's. The engine uses
//     t = 16, R_F = 6, R_P = 21 with gnark-crypto's round constants (proving/hash);
//     ICICLE's KoalaBear t = 16 instance has R_F = 8, R_P = 20 and its own constants, and
//     its create_poseidon2_hash takes no constants. So the commitment is gnark-crypto's
//     (AVX-512 on amd64), as in the CPU backend.
//   - quotient: the constraint evaluation is a Go closure compiled by package stark.
//   - fri_fold: memory-bound and about 1 % of a proof, less than a round trip to a GPU.
//
// Package icicle has the details (orderings, Montgomery form, threads).
//
// # Set-up on a GPU machine
//
//  1. The NVIDIA driver and a CUDA 12 runtime (the toolkit's libraries) for ICICLE's CUDA
//     backend; Go 1.26.8; cmake and a C++ compiler (scripts/build-icicle.sh installs
//     Debian's cmake and build-essential when they are missing).
//  2. ICICLE's CUDA backend for the same version, 3.9.x: it is not in the Go module (it is
//     closed source) but a separate release archive (icicle_3_9_x-ubuntu22-cuda122.tar.gz).
//     Unpack it so that its backend libraries are in /opt/icicle/lib/backend, or point
//     ICICLE_BACKEND_INSTALL_DIR at the directory holding them (ICICLE loads every
//     libicicle_backend_*.so under it at start). ICICLE's GPU backends need a license:
//     by default they use Ingonyama's R&D license server (network access); set
//     ICICLE_LICENSE=port@host or a license file otherwise.
//  3. make cuda: builds ICICLE's frontend libraries (libicicle_device,
//     libicicle_field_koalabear, libicicle_field_bn254, libicicle_curve_bn254) from the Go
//     module's C++ sources with CMake, offline, into
//     ~/.cache/oneiros/icicle/<version>-<key>/install/lib (ONEIROS_ICICLE_CACHE moves it),
//     and links the plugin against them with CGO_LDFLAGS="-L<lib> -Wl,-rpath,<lib>". To
//     link other ICICLE libraries (a release's /opt/icicle/lib, say), build by hand:
//     CGO_ENABLED=1 CGO_LDFLAGS="-L/opt/icicle/lib -Wl,-rpath,/opt/icicle/lib" go build
//     -tags cuda -o bin/oneiros-backend-cuda ./backends/cuda
//  4. oneiros plugins list: backend cuda shows device cuda available; then prove with
//     --backend cuda (or auto).
//
// ICICLE's CPU backend needs Taskflow, which its CMake would clone from GitHub; our build
// answers find_package(Taskflow) with a small header of our own
// (backends/cuda/third_party/taskflow) covering the calls ICICLE makes, so the build
// downloads nothing. The first build takes about three minutes on two cores; later ones
// find the cache (keyed by the ICICLE version, the build script, the Taskflow header and
// the compiler) and take no time.
//
// # Performance
//
// What is measured where: `oneiros bench kernels --backend cuda` runs the engine's kernel
// bench (package proving/kernel/bench) inside this plugin on the chosen device; its rows
// are the CPU backend's (the gnark-raw rows are bare gnark-crypto on the host, for
// reference). ProveSegment returns, among its phase times, the seconds spent in each
// kernel (kernel.lde, kernel.merkle, …), wherever it ran; the envelope keeps the total
// (prove_seconds in `oneiros inspect -o json`).
//
// What to expect. Measured on ICICLE's CPU device only: no GPU run has been measured yet
// (2-core AMD EPYC shared with other work, load 3 to 8; CPU backend beside it):
//
//	oneiros bench kernels --log-n 18 --cols 64 --reps 3   cpu backend   cuda, --device cpu
//	  lde (2^18 × 64, blowup 2)                               0.146 s       4.79 s
//	  commit (lde + merkle)                                   0.570 s       4.53 s
//	  merkle, quotient, fri_fold (host in both)               same          same
//	  msm (2^16 points)                                       0.143 s       1.86 s
//	oneiros prove (default parameters), same proof_digest
//	  examples/sort.s, 7,139 cycles                           1.41 s        3.47 s
//	  examples/keccak.s, 482 cycles                           2.43 s        4.98 s
//	  examples/mix.s, 880,005 cycles                          34.8 s        155 s
//
// ICICLE's CPU NTT is portable C++ without vector instructions: one NTT of 2^16 takes
// 6 to 7 ms against 0.15 ms for gnark-crypto's AVX-512 FFT on one core, and a coset
// transform also computes its coset's powers over the whole NTT domain on one thread. That
// device exists to test the cgo path on every machine, not to be fast.
//
// On a GPU the NTTs and the MSM take milliseconds; the LDE is then bound by PCIe transfers
// of pageable Go memory (for 2^20 rows × 64 columns at blowup 2: 256 MiB up and 512 MiB
// down, some 50 to 100 ms), and the MSM gains the most. The Merkle commitment (about a
// third of a proof on the CPU backend), the quotient and FRI stay on the host's CPU, and
// the LDE is about 15 % of a proof, so a whole proof gains far less than its kernels:
// expect the LDE share to shrink, not the proof time to divide.
package main
