// Without libFuzzer, a fuzz target still runs in the normal test suite (and under the
// sanitizers in CI): every file of its seed corpus, then deterministic mutations of each
// (bit flips, truncations, splices), so a regression in a parser shows up in `ctest`.
//   <target> CORPUS_DIR [ITERATIONS]

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [ITERATIONS]\n", argv[0]);
    return 2;
  }
  const int iterations = argc > 2 ? std::atoi(argv[2]) : 200;
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(entry.path(), std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "no seeds in %s\n", argv[1]);
    return 2;
  }
  std::mt19937_64 random(12345);
  size_t runs = 0;
  auto run = [&](const std::string& input) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
    ++runs;
  };
  run("");
  for (const std::string& seed : seeds) {
    run(seed);
    for (int i = 0; i < iterations; ++i) {
      std::string input = seed;
      switch (random() % 4) {
        case 0:  // flip bits
          for (int k = 0; k < 4 && !input.empty(); ++k) {
            input[random() % input.size()] ^= static_cast<char>(1u << (random() % 8));
          }
          break;
        case 1:  // truncate
          input.resize(input.empty() ? 0 : random() % input.size());
          break;
        case 2: {  // splice with another seed
          const std::string& other = seeds[random() % seeds.size()];
          size_t cut = input.empty() ? 0 : random() % input.size();
          size_t from = other.empty() ? 0 : random() % other.size();
          input = input.substr(0, cut) + other.substr(from);
          break;
        }
        default:  // insert special bytes
          for (int k = 0; k < 3; ++k) {
            static const char* kSpecial[] = {"\"",   "{",    "}",  "[", "]", "\\u0000",
                                             "\xff", "\xc3", "\n", ":", ",", "9999999999999999999"};
            size_t at = input.empty() ? 0 : random() % input.size();
            input.insert(at, kSpecial[random() % 12]);
          }
      }
      run(input);
    }
  }
  std::printf("%zu inputs, no crash\n", runs);
  return 0;
}
