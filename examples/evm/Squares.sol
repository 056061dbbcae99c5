// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

// A storage-heavy loop: fill(n) writes n slots, then sums them back.
contract Squares {
    mapping(uint256 => uint256) public square;
    uint256 public total;

    function fill(uint256 n) external returns (uint256 sum) {
        for (uint256 i = 1; i <= n; i++) {
            square[i] = i * i;
        }
        for (uint256 i = 1; i <= n; i++) {
            sum += square[i];
        }
        total = sum;
    }
}
