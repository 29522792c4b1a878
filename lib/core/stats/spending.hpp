#pragma once
// Lan-DeMets alpha-spending functions (Lan & DeMets 1983): how much of the type-I error alpha a
// group-sequential test may have spent once a fraction t of the planned information is in.
#include <string>
#include <vector>

namespace regnet {

enum class Spending {
  obrien_fleming,  // 2 - 2 Phi(z_{1-alpha/2} / sqrt(t)): almost nothing early, nearly alpha at the end
  pocock,          // alpha ln(1 + (e - 1) t): spends early, to stop soon on large effects
};

// alpha(t), 0 <= t <= 1: 0 at t = 0, alpha at t = 1, increasing (t is clamped to [0, 1]).
double spent_alpha(Spending s, double alpha, double t);

// "obrien-fleming" (or "obf"), "pocock"; anything else is a UserError naming `where` and the
// accepted names.
Spending spending_from_string(const std::string& name, const std::string& where = "");
std::string to_string(Spending s);
std::vector<std::string> spending_names();

}  // namespace regnet
