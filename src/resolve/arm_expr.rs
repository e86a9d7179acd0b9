//! ARM expression parser and evaluator. OWNER: ARM helper.
