//===--- UntangleModule.cpp - the untangle clang-tidy module -------------===//
//
// Registers every untangle rule. The same registration serves both front ends: the
// `untangle` executable links these objects, and `clang-tidy -load libuntangle-tidy.so`
// finds the module through the registry when the plugin is loaded.
//
//===----------------------------------------------------------------------===//

#include "nesting/CallbackNestingCheck.h"
#include "race/DataRaceCheck.h"
#include "clang-tidy/ClangTidyModule.h"

namespace clang::tidy::untangle {

class UntangleModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<CallbackNestingCheck>("untangle-callback-nesting");
    Factories.registerCheck<DataRaceCheck>("untangle-data-race");
  }
};

static ClangTidyModuleRegistry::Add<UntangleModule>
    Registration("untangle-module", "Finds callback hell and data races.");

} // namespace clang::tidy::untangle

