void pyramid();
int main() { pyramid(); }
